"""Publish: printed outputs onto disk, atomically, then the manifest that lists them.

Takes the outputs of a build; gives files in the output folder, each written to a
temporary name and renamed into place, and `manifest.json` written last; then
`infobutton.json`, the coded concepts and the published handouts each one finds.
"""
