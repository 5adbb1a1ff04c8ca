"""The mentor's form, as the benchmark posts it too (mentorat/bench/form_data.py)."""

from mentorat.demo.bench.form_data import mentor_form_data

__all__ = ["mentor_form_data"]
