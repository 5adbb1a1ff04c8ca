# Built by a later issue; the app exists from the start so its label and migrations are stable.
