"""Helpers shared by tests of several stages: hostile inputs made at test time (hostile), a
call-counting meter for linear time (meter), an audit of regular expressions (regex_audit) and
extraction noise (noise)."""
