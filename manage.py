#!/usr/bin/env python
from mentorat.manage import main

if __name__ == "__main__":
    main()
