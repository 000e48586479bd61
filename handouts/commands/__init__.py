"""The command's front-ends: what `build.py` prints and how it watches.

Takes the engine's reports; gives lines on the terminal (`console`), the table
`check` ends with (`check_report`), and rebuilds on every save (`watch`).
"""
