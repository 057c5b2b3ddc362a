import sys

from checks.cohort.cli import main

sys.exit(main())
