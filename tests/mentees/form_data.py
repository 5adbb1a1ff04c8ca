"""The young person's form, as the benchmark posts it too (mentorat/bench/form_data.py)."""

from mentorat.demo.bench.form_data import birth_date_for_age, mentee_form_data, minor_form_data

__all__ = ["birth_date_for_age", "mentee_form_data", "minor_form_data"]
