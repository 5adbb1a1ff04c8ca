"""`make bench`: the national-scale benchmark (`manage.py bench`).

measure.py holds one measure and its verdicts, pages.py times the key pages through Django's
test client, operations.py the matching, the reminder sweep and the programme figures,
load.py the throughput under gunicorn, report.py prints the one table.
"""
