"""The wire both sides share: frames, the plain-data protocol, reply bounds, files in a request,
the control pipe's records and where cgroups are made. Imports neither side."""
