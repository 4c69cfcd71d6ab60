import sys

from ksmart.cli import main

sys.exit(main())
