# The expected trees are generated packages, compared byte for byte; their own suites run elsewhere.
collect_ignore = ["expected"]
