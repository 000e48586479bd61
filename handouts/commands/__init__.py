"""The command's front-ends: what `build.py` prints and how it watches.

Takes the engine's reports and what a build publishes; gives lines on the terminal
(`console`), the table `check` ends with (`check_report`), rebuilds on every save
(`watch`), and answers HL7 Infobutton requests over HTTP (`infobutton`, `feed`).
"""
