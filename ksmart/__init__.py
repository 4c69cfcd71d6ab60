"""ksmart: the K-Smart City overseas pipeline dashboard's domain package."""

from ksmart import memory  # noqa: F401  Arrow allocates through malloc in every ksmart process (see memory.py)
