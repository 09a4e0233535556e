; Signet's additions to electron-builder's NSIS installer (electron-builder.yml: nsis.include).
;
; /CONFIG=<path>  copies a managed configuration to %ProgramData%\Signet\config.json, which
;                 Signet reads at start; every field it sets is locked for every user.
;
; Use it with a per-machine install, so that the installer runs elevated and the file gets
; ProgramData's permissions (users may read it, only administrators may change it):
;
;   Signet-Setup-0.1.0.exe /S /allusers /CONFIG=\\fileserver\it\signet\config.json
;
; With a per-user install the file is not copied (a file a user can write locks nothing): the
; installer says so and exits with code 2 when silent. An existing config.json is replaced.
; The uninstaller leaves it in place: it belongs to IT, not to one installation of the app.

!macro customInstall
  Push $0
  Push $1
  Push $2
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
      ClearErrors
      CopyFiles /SILENT "$1" "$2\Signet\config.json"
      ${If} ${Errors}
        DetailPrint "Signet: copying $1 to $2\Signet\config.json failed."
        ${IfNot} ${Silent}
          MessageBox MB_OK|MB_ICONEXCLAMATION "The managed configuration could not be copied to $2\Signet\config.json."
        ${EndIf}
        SetErrorLevel 2
      ${Else}
        DetailPrint "Signet: managed configuration installed at $2\Signet\config.json"
      ${EndIf}
    ${EndIf}
  ${EndIf}
  Pop $2
  Pop $1
  Pop $0
!macroend
