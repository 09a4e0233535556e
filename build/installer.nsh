; Signet's additions to electron-builder's NSIS installer (electron-builder.yml: nsis.include).
;
; /CONFIG=<path>  copies a managed configuration to %ProgramData%\Signet\config.json, which
;                 Signet reads at start; every field it sets is locked for every user.
;
; Use it with a per-machine install, so that the installer runs elevated. The installer then
; makes %ProgramData%\Signet owned by Administrators with exactly this ACL, inherited by the
; file: SYSTEM and Administrators full control, Users read & execute, nothing inherited from
; ProgramData (whose default ACL lets Users add files to folders in it). Signet honours
; config.json only with such an ACL (owner Administrators/SYSTEM, no one else may write or
; delete it or the folder: src/core/settings/managed-trust.ts); otherwise it ignores the file
; and says why. Principals are named by SID, so this works in every Windows language.
;
;   Signet-Setup-0.1.0.exe /S /allusers /CONFIG=\\fileserver\it\signet\config.json
;
; With a per-user install the file is not copied (a file a user can write locks nothing): the
; installer says so and exits with code 2 when silent. An existing config.json is replaced.
; The uninstaller leaves it in place: it belongs to IT, not to one installation of the app.
;
; /ADDTOPATH      puts the `signet` command on the user's PATH without asking (cli-path.nsh);
;                 an interactive install asks.

!include "cli-path.nsh"

!macro customInstall
  Push $0
  Push $1
  Push $2
  Push $3
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/CONFIG=" $1
  ${IfNot} ${Errors}
  ${AndIf} $1 != ""
    ${If} $installMode != "all"
      DetailPrint "Signet: /CONFIG needs a per-machine installation (/allusers); $1 was not copied."
      ${IfNot} ${Silent}
        MessageBox MB_OK|MB_ICONEXCLAMATION "The managed configuration $1 was not installed: it needs an installation for all users of this computer (/allusers)."
      ${EndIf}
      SetErrorLevel 2
    ${ElseIfNot} ${FileExists} "$1"
      DetailPrint "Signet: the managed configuration $1 does not exist."
      ${IfNot} ${Silent}
        MessageBox MB_OK|MB_ICONEXCLAMATION "The managed configuration $1 does not exist; Signet was installed without it."
      ${EndIf}
      SetErrorLevel 2
    ${Else}
      ReadEnvStr $2 "ProgramData"
      ${If} $2 == ""
        SetShellVarContext all ; per-machine: $APPDATA is the common (ProgramData) folder
        StrCpy $2 "$APPDATA"
      ${EndIf}
      CreateDirectory "$2\Signet"
      ; A folder a user created before the install may carry their own grants and ownership:
      ; drop every explicit grant, stop inheriting, grant only the three principals (by SID),
      ; and make Administrators the owner of the folder and everything in it.
      nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$2\Signet" /reset /C /Q'
      Pop $3
      nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$2\Signet" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX /C /Q'
      Pop $3
      ${If} $3 == "0"
        nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$2\Signet" /setowner *S-1-5-32-544 /T /C /Q'
        Pop $3
      ${EndIf}
      ${If} $3 != "0"
        DetailPrint "Signet: the permissions of $2\Signet could not be restricted to administrators (icacls: $3); $1 was not copied."
        ${IfNot} ${Silent}
          MessageBox MB_OK|MB_ICONEXCLAMATION "The permissions of $2\Signet could not be restricted to administrators, so the managed configuration was not installed."
        ${EndIf}
        SetErrorLevel 2
      ${Else}
        ClearErrors
        CopyFiles /SILENT "$1" "$2\Signet\config.json"
        ${If} ${Errors}
          DetailPrint "Signet: copying $1 to $2\Signet\config.json failed."
          ${IfNot} ${Silent}
            MessageBox MB_OK|MB_ICONEXCLAMATION "The managed configuration could not be copied to $2\Signet\config.json."
          ${EndIf}
          SetErrorLevel 2
        ${Else}
          ; A replaced file keeps its old ACL: make it inherit the folder's alone, owned by Administrators.
          nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$2\Signet\config.json" /reset /C /Q'
          Pop $3
          nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$2\Signet\config.json" /setowner *S-1-5-32-544 /C /Q'
          Pop $3
          DetailPrint "Signet: managed configuration installed at $2\Signet\config.json"
        ${EndIf}
      ${EndIf}
    ${EndIf}
  ${EndIf}
  Pop $3
  Pop $2
  Pop $1
  Pop $0
  !insertmacro signetCliPathInstall
!macroend

; An update runs the old uninstaller first (--updated): the PATH entry stays for the new version.
!macro customUnInstall
  ${IfNot} ${isUpdated}
    !insertmacro signetCliPathUninstall
  ${EndIf}
!macroend
