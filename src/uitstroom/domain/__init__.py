"""Pure domain: enums, frozen records and rules. Standard library only; `today` is a parameter."""
