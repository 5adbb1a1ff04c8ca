"""RGPD tooling: what the platform holds on a person (registry), the right of access
(`access.person_data`), the right to erasure by anonymisation (`erasure.person_anonymise`)
and the retention periods (`retention`). The top layer: it reads every app."""
