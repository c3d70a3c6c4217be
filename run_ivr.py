#!/usr/bin/env python3
"""Shakwa's one entry point: ``python run_ivr.py <command>`` (see ``--help``)."""
import sys

from hotline.cli import main

if __name__ == "__main__":
    sys.exit(main())
