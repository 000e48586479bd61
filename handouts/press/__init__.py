"""Render and print: a job to HTML, then to PDF bytes. Pure functions of a job.

Takes a `Job` or `Packet`; gives its HTML text (`render`, Jinja) and its PDF
(`pdf`, WeasyPrint, closed to the network and to local files), with page headers
and footers marked as artifacts and list items made whole (`tagging`). `workers` runs
them in warm processes.
"""
