"""The entry points: the desktop app, the kiosk and display windows, the command line by area,
the sync server and the office hub. They sit on top: nothing in the package imports them."""
