"""The ``geoconflict`` command line (a face: click)."""
