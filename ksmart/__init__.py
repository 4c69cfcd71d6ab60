"""ksmart: the K-Smart City overseas pipeline dashboard's domain package."""
