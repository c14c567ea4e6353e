; Inno Setup script: the Windows installer of Shebao Desk (社保经办桌面).
;
;   pyinstaller --noconfirm packaging\pyinstaller\shebao-desk.spec
;   iscc packaging\windows\shebao-desk.iss
;
; It installs the one-folder build dist\shebao-desk (both executables and _internal\) into
; Program Files, with Start-menu and desktop shortcuts to the window, and makes
; dist\shebao-desk-VERSION-setup.exe. The version is read from the built shebao-desk.exe (the spec
; writes it into the executable's version resource); `iscc /DAppVersion=X.Y.Z ...` overrides it.
;
; The office's data is never in the program's folder: the database, keys, logs and settings live in
; the user's %LOCALAPPDATA%\shebao-desk and %APPDATA%\ShebaoDesk (or wherever --db points). The
; uninstaller removes the program's files only and leaves those alone, so reinstalling or upgrading
; finds the office as it was.
;
; Inno Setup 6.3 or newer. The installer speaks Simplified Chinese and English: Languages\
; ChineseSimplified.isl comes with recent Inno Setup releases; with an older one, put that file
; (from Inno Setup's translations page) beside this script.

#define AppName "社保经办桌面"
#define AppNameEn "Shebao Desk"
#define DistDir AddBackslash(SourcePath) + "..\..\dist\shebao-desk"
#define WindowExe "shebao-desk.exe"
#define IconFile AddBackslash(SourcePath) + "..\icons\shebao-desk.ico"

#if !FileExists(DistDir + "\" + WindowExe)
  #error The frozen build is missing: run pyinstaller packaging\pyinstaller\shebao-desk.spec first
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(DistDir + "\" + WindowExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error No version in dist\shebao-desk\shebao-desk.exe: pass one with /DAppVersion=X.Y.Z
#endif

#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl is neither in Inno Setup's Languages folder nor beside this script
#endif

[Setup]
; The same AppId for every version: a new installer upgrades the installed copy in place.
AppId={{21F78205-7987-4CA2-B109-30472221DFCA}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppNameEn}
VersionInfoProductName={#AppNameEn}
DefaultDirName={autopf}\{#AppNameEn}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayName={#AppName} {#AppNameEn}
UninstallDisplayIcon={app}\{#WindowExe}
OutputDir={#SourcePath}\..\..\dist
OutputBaseFilename=shebao-desk-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
; A running window would keep its files open: the installer asks to close it first.
CloseApplications=yes
#if FileExists(IconFile)
SetupIconFile={#IconFile}
#endif

[Languages]
Name: "chinesesimplified"; MessagesFile: "{#ChineseMessages}"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.DesktopShortcut=在桌面上创建快捷方式
english.DesktopShortcut=Create a desktop shortcut
chinesesimplified.Shortcuts=快捷方式：
english.Shortcuts=Shortcuts:
chinesesimplified.Doctor=系统检查（shebao doctor）
english.Doctor=Installation check (shebao doctor)
chinesesimplified.Launch=启动社保经办桌面
english.Launch=Start Shebao Desk

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopShortcut}"; GroupDescription: "{cm:Shortcuts}"

[Files]
; The whole one-folder build; files of an older version that this one no longer has are removed
; first (InstallDelete), so no stale library is loaded.
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#WindowExe}"; WorkingDir: "{app}"; Comment: "{#AppNameEn}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#WindowExe}"; WorkingDir: "{app}"; Comment: "{#AppNameEn}"; Tasks: desktopicon
; The check runs in a console window that stays open to be read.
Name: "{autoprograms}\{#AppName} {cm:Doctor}"; Filename: "{cmd}"; Parameters: "/k ""{app}\shebao.exe"" doctor"; WorkingDir: "{app}"

[Run]
Filename: "{app}\{#WindowExe}"; Description: "{cm:Launch}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes what it installed, and the office's data is not in
; {app}. %LOCALAPPDATA%\shebao-desk is never touched.
