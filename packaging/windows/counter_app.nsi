[% extends "pyapp_per_machine.nsi" %]
[#- pynsist's template, installed for all users by default (build_windows.py drops its
    DEFAULT_CURRENTUSER line). An upgrade first removes the old program's pkgs folder, so no
    module of the old version is left beside the new one; the data folder
    (%LOCALAPPDATA%\counter_app) is never touched, by an upgrade or by the uninstaller. #]
[% block install_pkgs %]
    RMDir /r "$INSTDIR\pkgs"
    [[ super() ]]
[% endblock install_pkgs %]
