; The `signet` command on the user's PATH (included by installer.nsh).
;
; The installer carries the standalone `signet.exe` in $INSTDIR\resources\cli. It offers to
; append that folder to the PATH of the user running it (HKCU\Environment), so that a terminal
; opened afterwards runs `signet …`; a silent install does so only with /ADDTOPATH:
;
;   Signet-Setup-0.1.0.exe /S /ADDTOPATH
;
; Only appended, never rewritten: a PATH that cannot be read whole (absent, or longer than NSIS
; reads) is left alone (writing back what was read would lose the user's entries) and the
; installer says so. The
; uninstaller removes the folder again when it is still the last entry, as it was added.

!include WinMessages.nsh

!define SIGNET_CLI_DIR "$INSTDIR\resources\cli"

!macro signetCliPathInstall
  Push $0
  Push $1
  Push $2
  Push $3
  StrCpy $1 "no"
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/ADDTOPATH" $2
  ${IfNot} ${Errors}
    StrCpy $1 "yes"
  ${ElseIfNot} ${Silent}
    MessageBox MB_YESNO|MB_ICONQUESTION "Add the signet command to your PATH?$\r$\n$\r$\nTerminals opened after this can then run signet (for example: signet token) without its full path, ${SIGNET_CLI_DIR}\signet.exe." IDNO +2
    StrCpy $1 "yes"
  ${EndIf}
  ${If} $1 == "yes"
    ; ReadRegStr sets the error flag (and $0 to "") both when the value is absent and when it
    ; is longer than NSIS can read: either way nothing is written (an empty $0 written back
    ; would replace the user's whole PATH), and the user is told to add the folder.
    ClearErrors
    ReadRegStr $0 HKCU "Environment" "Path"
    ${If} ${Errors}
      StrCpy $0 ""
      StrCpy $2 ${NSIS_MAX_STRLEN}
    ${Else}
      StrLen $2 $0
    ${EndIf}
    StrLen $3 "${SIGNET_CLI_DIR}"
    IntOp $3 $3 + 1
    StrCpy $1 $0 "" -$3
    ${If} $0 == "${SIGNET_CLI_DIR}"
    ${OrIf} $1 == ";${SIGNET_CLI_DIR}"
      DetailPrint "Signet: ${SIGNET_CLI_DIR} is already on your PATH."
    ${ElseIf} $2 >= ${NSIS_MAX_STRLEN}
    ${OrIf} $2 > 2000
      DetailPrint "Signet: your PATH is too long to change safely; add ${SIGNET_CLI_DIR} to it yourself."
      ${IfNot} ${Silent}
        MessageBox MB_OK|MB_ICONINFORMATION "Your PATH is too long for the installer to change safely. To run signet from a terminal, add this folder to it yourself:$\r$\n${SIGNET_CLI_DIR}"
      ${EndIf}
    ${Else}
      WriteRegExpandStr HKCU "Environment" "Path" "$0;${SIGNET_CLI_DIR}"
      SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
      DetailPrint "Signet: added ${SIGNET_CLI_DIR} to your PATH."
    ${EndIf}
  ${EndIf}
  Pop $3
  Pop $2
  Pop $1
  Pop $0
!macroend

!macro signetCliPathUninstall
  Push $0
  Push $1
  Push $2
  ClearErrors
  ReadRegStr $0 HKCU "Environment" "Path"
  StrLen $2 "${SIGNET_CLI_DIR}"
  IntOp $2 $2 + 1
  StrCpy $1 $0 "" -$2
  ${If} ${Errors}
    ; Absent or unreadable whole: nothing to remove safely.
  ${ElseIf} $0 == "${SIGNET_CLI_DIR}"
    DeleteRegValue HKCU "Environment" "Path"
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${ElseIf} $1 == ";${SIGNET_CLI_DIR}"
    StrCpy $0 $0 -$2
    WriteRegExpandStr HKCU "Environment" "Path" "$0"
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${EndIf}
  Pop $2
  Pop $1
  Pop $0
!macroend
