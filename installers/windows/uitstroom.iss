; Uitstroom for Windows: one setup.exe that installs for the current user, without admin rights,
; offline, and updates an older version in place. Inno Setup 6. Build on Windows (see
; installers/README.md for the whole sequence):
;
;   .venv\Scripts\pyinstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller installers\uitstroom.spec
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" installers\windows\uitstroom.iss
;
; gives dist\Uitstroom-<version>-setup.exe.
;
; The version is not written here: it is read from dist\uitstroom\uitstroom.exe, whose version
; resource PyInstaller wrote from uitstroom.__version__ (installers/bundle.py). A build server
; may pass /DAppVersion=x.y.z to ISCC instead; tests/installers checks that nothing is hard-coded.

#define AppName "Uitstroom"
#define AppExe "uitstroom.exe"
#define SourceDir AddBackslash(SourcePath) + "..\..\dist\uitstroom"
#define ResourceDir AddBackslash(SourcePath) + "..\..\resources"

#ifndef AppVersion
  #define AppVersion GetStringFileInfo(SourceDir + "\" + AppExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error dist\uitstroom\uitstroom.exe is missing or has no version: build it first with PyInstaller (installers/README.md)
#endif
#define AppNumbers GetVersionNumbersString(SourceDir + "\" + AppExe)

[Setup]
; Never change AppId: an update finds the installed version by it and replaces it in place.
AppId={{D214B518-3BA0-4C4F-9217-D4DDB63BE42E}
AppName={#AppName}
; Inventory tools (Intune, SCCM, winget) read the version from the uninstall key,
; HKCU (per user) or HKLM (/ALLUSERS) \Software\Microsoft\Windows\CurrentVersion\Uninstall\
; {AppId}_is1: Inno writes AppVersion there as DisplayVersion (with MajorVersion and
; MinorVersion), AppPublisher as Publisher, UninstallDisplayName as DisplayName.
; installers/windows/check-install.ps1 reads them back after a silent install.
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Uitstroom
AppComments=Uitstroom, overdracht en nazorg voor pro, vso en mbo
; The setup.exe's own version resource (Eigenschappen > Details).
VersionInfoVersion={#AppNumbers}
VersionInfoProductVersion={#AppVersion}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoCompany=Uitstroom
; Per user, no administrator needed: {autopf} is then %LOCALAPPDATA%\Programs.
; IT may install for all users with /ALLUSERS (then administrator rights are needed).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\Uitstroom
DefaultGroupName=Uitstroom
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
OutputDir=..\..\dist
OutputBaseFilename=Uitstroom-{#AppVersion}-setup
SetupIconFile={#ResourceDir}\icons\uitstroom.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; An update while Uitstroom is open: ask to close it (with /SILENT: close it).
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
Name: "nl"; MessagesFile: "compiler:Languages\Dutch.isl"

[CustomMessages]
nl.DesktopIcon=Een snelkoppeling op het &bureaublad
nl.StartNow=&Uitstroom nu starten
nl.PurgeQuestion=Wilt u ook de gegevens van Uitstroom op deze computer verwijderen?%n%nDan worden de database met alle leerlingen en alle back-ups in%n%1%nvoorgoed gewist. Dat kan niet ongedaan worden gemaakt.%n%nKies Nee om ze te bewaren, bijvoorbeeld voor een nieuwe versie of een andere computer.

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[InstallDelete]
; An update replaces the whole program folder: nothing of an older version's libraries stays.
; The data is not here (it is in %LOCALAPPDATA%\Uitstroom\Uitstroom) and is never touched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Uitstroom"; Filename: "{app}\{#AppExe}"; Comment: "De laatstejaars in één overzicht"
Name: "{autodesktop}\Uitstroom"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:StartNow}"; Flags: nowait postinstall skipifsilent

[Code]
// What the program keeps per user (platformdirs and QSettings with organisation and program
// both 'Uitstroom'). Uninstalling leaves it, unless the user says so or IT passes /PURGEDATA.
function DataFolder(): String;
begin
  Result := ExpandConstant('{localappdata}\Uitstroom\Uitstroom');
end;

function PurgeRequested(): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), '/PURGEDATA') = 0 then
      Result := True;
end;

// IT may pre-set the school server: /SERVER="postgresql://server/uitstroom?sslmode=verify-full"
// (no password: the program asks for it once and keeps it in Windows Credential Manager). It
// is written as the program's own schoolserver.txt (uitstroom/paths.py): per user in the
// user's data folder, unless the user already chose a database there; with /ALLUSERS for
// every user of the computer in ProgramData, where the user's own choice still wins.
function ServerParam(): String;
var
  I: Integer;
begin
  Result := '';
  for I := 1 to ParamCount do
    if CompareText(Copy(ParamStr(I), 1, 8), '/SERVER=') = 0 then
      Result := Trim(Copy(ParamStr(I), 9, MaxInt));
end;

function ServerFile(): String;
begin
  if IsAdminInstallMode() then
    Result := ExpandConstant('{commonappdata}\Uitstroom\Uitstroom\schoolserver.txt')
  else
    Result := DataFolder() + '\schoolserver.txt';
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  Server: String;
begin
  if CurStep <> ssPostInstall then
    Exit;
  Server := ServerParam();
  if Server = '' then
    Exit;
  if Pos('postgresql', Server) <> 1 then
    Log('/SERVER genegeerd: dat is geen postgresql://-adres: ' + Server)
  else if (not IsAdminInstallMode()) and FileExists(ServerFile()) then
    Log('Schoolserver niet ingesteld: de gebruiker koos al een database in ' + ServerFile())
  else if ForceDirectories(ExtractFileDir(ServerFile()))
          and SaveStringToFile(ServerFile(), Server + #13#10, False) then
    Log('Schoolserver ingesteld in ' + ServerFile() + ': ' + Server)
  else
    Log('Schoolserver kon niet worden opgeslagen in ' + ServerFile());
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Purge: Boolean;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  if not DirExists(DataFolder()) then
    Exit;
  Purge := PurgeRequested();
  // A silent uninstall (IT, an update tool) never asks and never deletes without /PURGEDATA.
  if (not Purge) and (not UninstallSilent()) then
    Purge := MsgBox(FmtMessage(CustomMessage('PurgeQuestion'), [DataFolder()]),
                    mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  if Purge then
  begin
    DelTree(DataFolder(), True, True, True);
    RemoveDir(ExpandConstant('{localappdata}\Uitstroom'));
    RegDeleteKeyIncludingSubkeys(HKEY_CURRENT_USER, 'Software\Uitstroom');
    Log('Gegevens verwijderd: ' + DataFolder());
  end
  else
    Log('Gegevens bewaard: ' + DataFolder());
end;
