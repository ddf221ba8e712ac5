<#
The Windows installer the way a school's IT uses it: silent, per user, on a test machine (the CI
runner, or a virtual machine; never a coordinator's own laptop: it makes and removes a fictional
demo database in the user's data folder).

    powershell -ExecutionPolicy Bypass -File installers\windows\check-install.ps1 `
        -Setup dist\Uitstroom-0.2.0-setup.exe [-Previous previous\Uitstroom-0.1.0-setup.exe]

  1. the previous release's setup (if given; else this one) installs silently, for this user;
     the installed program makes a demo database;
  2. this setup installs over it: the database is byte for byte the same, the program is the new
     version, passes its self-test and opens the data (export);
  3. the registry's uninstall key carries the version (DisplayVersion) and publisher;
  4. /SERVER= writes the pre-set school server for the user, and leaves a user's own choice;
  5. a silent uninstall removes the program and keeps the data; /PURGEDATA removes the data.
Any failure stops with an exception that says what is wrong. Inno's logs: build\install-logs.
#>
param(
    [Parameter(Mandatory = $true)][string]$Setup,
    [string]$Previous = ""
)
$ErrorActionPreference = "Stop"
Set-Location (Resolve-Path (Join-Path $PSScriptRoot "..\.."))

$AppId = "{D214B518-3BA0-4C4F-9217-D4DDB63BE42E}"  # uitstroom.iss: never changes
$Program = Join-Path $env:LOCALAPPDATA "Programs\Uitstroom"
$Cli = Join-Path $Program "uitstroom-cli.exe"
$Data = Join-Path $env:LOCALAPPDATA "Uitstroom\Uitstroom"
$Database = Join-Path $Data "uitstroom.db"
$UninstallKey = "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\${AppId}_is1"
$Server = "postgresql://db.voorbeeldschool.example:5432/uitstroom?sslmode=verify-full"
$Logs = (New-Item -ItemType Directory -Force -Path "build\install-logs").FullName
$Version = & python -c "import sys; sys.path.insert(0, 'installers'); import bundle; print(bundle.package_version())"

# Fictional, for the demo database only; the keychain of the machine is never used.
$Passphrase = Join-Path $env:TEMP "uitstroom-check-wachtwoord.txt"
Set-Content -Path $Passphrase -Value "fietsbel tulpenveld Zwolle 2026" -NoNewline -Encoding ascii
$env:UITSTROOM_PASSPHRASE_FILE = $Passphrase
$env:PYTHON_KEYRING_BACKEND = "keyring.backends.fail.Keyring"
Remove-Item Env:QT_QPA_PLATFORM -ErrorAction SilentlyContinue

function Say([string]$Text) { Write-Host "check-install: $Text" }
function Fail([string]$Text) { throw "check-install: MISLUKT: $Text" }

function Invoke-Silently([string]$Exe, [string[]]$Arguments, [string]$Log) {
    $all = @("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/SP-", "/LOG=$Log") + $Arguments
    $process = Start-Process -FilePath $Exe -ArgumentList $all -Wait -PassThru
    if ($process.ExitCode -ne 0) { Fail "$Exe $($all -join ' ') stopte met code $($process.ExitCode) (log: $Log)" }
}

function Install([string]$Exe, [string[]]$Arguments = @()) {
    Invoke-Silently (Resolve-Path $Exe).Path $Arguments (Join-Path $Logs "setup-$(Get-Date -Format HHmmss-fff).log")
}

function Uninstall([string[]]$Arguments = @()) {
    Invoke-Silently (Join-Path $Program "unins000.exe") $Arguments (Join-Path $Logs "uninstall-$(Get-Date -Format HHmmss-fff).log")
    # The uninstaller copies itself to TEMP and returns before that copy is done.
    for ($i = 0; $i -lt 60 -and (Test-Path (Join-Path $Program "unins000.exe")); $i++) { Start-Sleep -Seconds 1 }
}

function Invoke-Cli([string[]]$Arguments) {
    # Lines on stderr are the program's messages, not PowerShell errors: the exit code decides.
    $ErrorActionPreference = "Continue"
    $output = & $Cli @Arguments 2>&1 | ForEach-Object { "$_" }
    $output | ForEach-Object { Write-Host "    $_" }
    if ($LASTEXITCODE -ne 0) { Fail "uitstroom-cli.exe $($Arguments -join ' ') stopte met code $LASTEXITCODE" }
    return ($output -join "`n")
}

if (Test-Path $Program) { Fail "$Program bestaat al: gebruik een schone testmachine" }
if (Test-Path $Data) { Fail "$Data bestaat al: gebruik een schone testmachine" }

# 1. The previous release (or this one), and data made with it.
$first = if ($Previous) { $Previous } else { $Setup }
Say "installeren: $first (per gebruiker, stil)"
Install $first
if (-not (Test-Path $Cli)) { Fail "$Cli ontbreekt na de installatie" }
$before = Invoke-Cli @("--version")
Say "geïnstalleerd: $before"
Invoke-Cli @("demo", "--aantal", "12") | Out-Null
if (-not (Test-Path $Database)) { Fail "de demo maakte geen database in $Data" }
$hash = (Get-FileHash $Database).Hash

# 2. This setup over it: an update in place that keeps the data.
Say "bijwerken met: $Setup"
Install $Setup
if ((Get-FileHash $Database).Hash -ne $hash) { Fail "bijwerken veranderde de database" }
$after = Invoke-Cli @("--version")
if ($after.Trim() -ne "Uitstroom $Version") { Fail "na het bijwerken zegt --version '$after', verwacht Uitstroom $Version" }
Say "bijgewerkt van $before naar $after; de database is onaangeroerd"
Invoke-Cli @("--self-test") | Out-Null
Say "de geïnstalleerde versie slaagt voor de zelftest"
$export = Join-Path $env:TEMP "uitstroom-na-bijwerken.csv"
Invoke-Cli @("export", $export) | Out-Null
$rows = (Get-Content $export).Count
if ($rows -lt 13) { Fail "de export na het bijwerken heeft $rows regels, verwacht 12 leerlingen en een kop" }
Say "de gegevens openen na het bijwerken: $($rows - 1) leerlingen geëxporteerd"
# Opening it brought it to the new schema and logged the export: this is the data from now on.
$hash = (Get-FileHash $Database).Hash

# 3. What inventory tools read.
$key = Get-ItemProperty -Path $UninstallKey
if ($key.DisplayVersion -ne $Version) { Fail "DisplayVersion in $UninstallKey is '$($key.DisplayVersion)', verwacht $Version" }
if ($key.Publisher -ne "Uitstroom" -or $key.DisplayName -ne "Uitstroom $Version") {
    Fail "Publisher '$($key.Publisher)' of DisplayName '$($key.DisplayName)' klopt niet"
}
Say "register: DisplayName '$($key.DisplayName)', DisplayVersion $($key.DisplayVersion), Publisher $($key.Publisher)"

# 4. The school server pre-set by IT, for this user; a user's own choice stays.
$serverFile = Join-Path $Data "schoolserver.txt"
Install $Setup @("/SERVER=$Server")
if ((Get-Content $serverFile -Raw).Trim() -ne $Server) { Fail "/SERVER schreef $serverFile niet" }
Set-Content -Path $serverFile -Value "postgresql://eigen-keuze.example/uitstroom" -Encoding ascii
Install $Setup @("/SERVER=$Server")
if ((Get-Content $serverFile -Raw).Trim() -ne "postgresql://eigen-keuze.example/uitstroom") {
    Fail "/SERVER overschreef de keuze van de gebruiker"
}
Remove-Item $serverFile
Say "/SERVER stelt de schoolserver in en laat de keuze van de gebruiker staan"

# 5. Removing: the data stays unless IT asks.
Uninstall
if (Test-Path $Cli) { Fail "verwijderen liet $Cli staan" }
if (Test-Path $UninstallKey) { Fail "verwijderen liet $UninstallKey staan" }
if ((Get-FileHash $Database).Hash -ne $hash) { Fail "verwijderen veranderde de database" }
Say "verwijderd; de gegevens staan er nog"
Install $Setup
Uninstall @("/PURGEDATA")
for ($i = 0; $i -lt 30 -and (Test-Path $Database); $i++) { Start-Sleep -Seconds 1 }
if (Test-Path $Database) { Fail "/PURGEDATA liet de database staan" }
Say "/PURGEDATA wist de gegevens"
Say "alles in orde"
