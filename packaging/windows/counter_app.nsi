[% extends "pyapp_per_machine.nsi" %]
[#- pynsist's template, installed for all users by default (build_windows.py drops its
    DEFAULT_CURRENTUSER line). An upgrade first removes the old program's pkgs folder, so no
    module of the old version is left beside the new one; the data folder
    (%LOCALAPPDATA%\counter_app) is never touched, by an upgrade or by the uninstaller.
    The optional office hub runs as the Windows service CounterAppHub (hub_service.py, pywin32),
    its data in %PROGRAMDATA%\Counter App\hub, kept by the uninstaller too. #]
[% block ui_pages %]
!insertmacro MUI_PAGE_WELCOME
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
[% endblock ui_pages %]

[% block install_pkgs %]
    ; A running hub service holds the old program's files open: stop it first (the hub section
    ; below installs and starts it again).
    IfFileExists "$INSTDIR\hub_service.py" 0 +3
      nsExec::ExecToLog '"$INSTDIR\Python\python.exe" "$INSTDIR\hub_service.py" stop'
      Pop $0
    RMDir /r "$INSTDIR\pkgs"
    [[ super() ]]
[% endblock install_pkgs %]

[% block sections %]
!include Sections.nsh
!define HUB_SERVICE "CounterAppHub"
!define HUB_PORT 8765

; Before the uninstaller's main section: the service is stopped and removed while its program
; (Python and pkgs) is still there. Its data folder stays.
Section "-un.hub_service"
  SetRegView 64
  ReadRegStr $1 HKLM "SYSTEM\CurrentControlSet\Services\${HUB_SERVICE}" "ImagePath"
  StrCmp $1 "" done
    DetailPrint "Removing the office hub service..."
    nsExec::ExecToLog '"$INSTDIR\Python\python.exe" "$INSTDIR\hub_service.py" remove'
    Pop $0
    nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="Counter App hub"'
    Pop $0
  done:
SectionEnd

[[ super() ]]

; Selects the hub section below in a silent install given /HUB, and in an upgrade of a PC that
; has the service already (so an upgrade never leaves an office without its hub).
Section "-hub_option" sec_hub_option
  SetRegView 64
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} '$0' "/HUB" $1
  IfErrors 0 select
  ReadRegStr $1 HKLM "SYSTEM\CurrentControlSet\Services\${HUB_SERVICE}" "ImagePath"
  StrCmp $1 "" done
  select:
    IntOp $1 ${sec_hub_option} + 1
    SectionSetFlags $1 ${SF_SELECTED}
  done:
  ClearErrors
SectionEnd

Section /o "Máy chủ văn phòng (dịch vụ Windows)" sec_hub
  DetailPrint "Installing the office hub service (data in %PROGRAMDATA%\Counter App\hub)..."
  ; remove then install: an upgrade registers the new program's path afresh
  nsExec::ExecToLog '"$INSTDIR\Python\python.exe" "$INSTDIR\hub_service.py" remove'
  Pop $0
  nsExec::ExecToLog '"$INSTDIR\Python\python.exe" "$INSTDIR\hub_service.py" install'
  Pop $0
  StrCmp $0 "0" +2
    DetailPrint "The office hub service could not be installed (exit code $0)"
  nsExec::ExecToLog '"$INSTDIR\Python\python.exe" "$INSTDIR\hub_service.py" start'
  Pop $0
  ; The counters of the office reach it over the LAN (private and domain networks only).
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="Counter App hub" dir=in action=allow protocol=TCP localport=${HUB_PORT} profile=private,domain'
  Pop $0
SectionEnd
[% endblock sections %]

[% block mouseover_messages %]
    [[ super() ]]
    StrCmp $0 ${sec_hub} "" +2
      SendMessage $R0 ${WM_SETTEXT} 0 "STR:Office hub: the counters of this office sync through this PC (Windows service CounterAppHub, port ${HUB_PORT})."
[% endblock mouseover_messages %]
