"""TLS to the school's server, tried against a real PostgreSQL that offers TLS: the address is
parsed once into the driver's parameters, anything in it that would change where or how it
connects is refused, another computer is reached with the certificate checked (verify-full), the
school's own CA file is a setting, and a certificate that does not match is named in Dutch.

127.0.0.2 is loopback too, but not one of the names Uitstroom counts as 'this computer': it
stands in for the school's server on another computer."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import text

from pg import Cluster, NoPostgres
from uitstroom.services.connection import (
    ServerAddress,
    ServerProblem,
    check_connection,
    choose_school_certificate,
    server_engine_for,
)
from uitstroom.services.database import ServerRefused, open_database

ELSEWHERE = "127.0.0.2"
MENTOR, SECRET = "mentor_tls", "Zeilboot-2026-kaas"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


class Authority:
    """A throwaway certificate authority, as a school's ICT department may run."""

    def __init__(self, name: str) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name(name))
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(self.key, hashes.SHA256())
        )

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def server(self, ip: str) -> tuple[bytes, bytes]:
        """A server certificate for one IP address, and its key."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name("db.school.example"))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        return certificate.public_bytes(serialization.Encoding.PEM), _pem(key)


@pytest.fixture(scope="module")
def school_ca() -> Authority:
    return Authority("ICT Het Voorbeeldcollege CA")


@pytest.fixture(scope="module")
def tls_server(school_ca: Authority) -> Iterator[Cluster]:
    """A server offering TLS with a certificate for 127.0.0.2 only, signed by the school's CA."""
    try:
        cluster = Cluster(tls=school_ca.server(ELSEWHERE), listen=f"127.0.0.1,{ELSEWHERE}")
        cluster.start()
    except NoPostgres as exc:
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"CI needs PostgreSQL: {exc}")
        pytest.skip(str(exc))
    try:
        cluster.create_role(MENTOR, SECRET)
        cluster.create_database("uitstroom", owner=MENTOR)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def ca_file(tmp_path: Path, school_ca: Authority) -> Path:
    path = tmp_path / "school-ca.pem"
    path.write_bytes(school_ca.pem())
    return path


def elsewhere(server: Cluster, host: str = ELSEWHERE, tail: str = "") -> str:
    return f"postgresql://{MENTOR}@{host}:{server.port}/uitstroom{tail}"


def refused(url: str) -> ServerRefused:
    with pytest.raises(ServerRefused) as raised:
        open_database(url, password=SECRET).close()
    return raised.value


# --- the address ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tail",
    [
        "?host=db.school.nl",  # "local" by its name, elsewhere by its query
        "?hostaddr=10.0.0.9",
        "?service=school",
        "?passfile=/tmp/pgpass",
        "?sslrootcert=/tmp/other-ca.pem",
        "?sslmode=disable&sslmode=verify-full",
        "?options=-c%20search_path%3Dother",
        "?target_session_attrs=any",
    ],
)
def test_query_parameters_that_change_where_or_how_are_refused_before_anything_is_sent(
    tls_server: Cluster, tail: str
) -> None:
    url = f"postgresql://{MENTOR}@localhost:{tls_server.port}/uitstroom{tail}"
    address = ServerAddress.from_url(url)
    assert address.refused
    problem = refused(url)
    assert problem.problem is ServerProblem.ADDRESS
    assert str(problem).startswith("Uitstroom gebruikt dit adres niet: het bevat")
    assert "vraagteken" in str(problem)


def test_the_driver_gets_only_what_the_address_parsed_into() -> None:
    address = ServerAddress.from_url(
        "postgresql://m.verbeek:geheim@db.school.nl:6543/uitstroom?connect_timeout=4"
    )
    params = address.driver_params("geheim")
    assert params == {
        "host": "db.school.nl",
        "port": 6543,
        "dbname": "uitstroom",
        "user": "m.verbeek",
        "password": "geheim",
        "application_name": "Uitstroom",
        "connect_timeout": "4",
        "sslmode": "verify-full",
        "sslrootcert": "system",
    }
    assert "geheim" not in address.url()


@pytest.mark.parametrize("mode", ["disable", "allow", "prefer", "require", "verify-ca"])
def test_a_weaker_sslmode_for_another_computer_is_refused(mode: str) -> None:
    problem = refused(f"postgresql://m@db.school.invalid/uitstroom?sslmode={mode}")
    assert problem.problem is ServerProblem.NO_TLS
    assert "controleert dan altijd het certificaat" in str(problem)
    assert "?sslmode=verify-full" in str(problem)


# --- against the server that offers TLS -----------------------------------------------------------


def test_another_computer_is_reached_over_tls_with_the_schools_certificate(
    tls_server: Cluster, ca_file: Path
) -> None:
    choose_school_certificate(ca_file)
    address = ServerAddress.from_url(elsewhere(tls_server))
    assert address.driver_params()["sslmode"] == "verify-full"
    check = check_connection(address, SECRET)
    assert check.ok, check.message
    assert check.message.startswith("Verbinding gelukt")
    engine = server_engine_for(address, SECRET)
    try:
        with engine.connect() as connection:
            ssl = connection.execute(
                text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).scalar()
    finally:
        engine.dispose()
    assert ssl is True


def test_without_the_schools_certificate_the_server_is_not_trusted(tls_server: Cluster) -> None:
    # Only the computer's own authorities: the school's private CA is not among them.
    problem = refused(elsewhere(tls_server))
    assert problem.problem is ServerProblem.CERTIFICATE
    assert str(problem).startswith(f"Het certificaat van de server {ELSEWHERE} klopt niet")
    assert "Certificaat van de schoolserver" in str(problem)


def test_a_certificate_for_another_name_is_refused(tls_server: Cluster, ca_file: Path) -> None:
    choose_school_certificate(ca_file)
    # The certificate names 127.0.0.2; asked for 127.0.0.1 it does not match.
    problem = refused(elsewhere(tls_server, host="127.0.0.1", tail="?sslmode=verify-full"))
    assert problem.problem is ServerProblem.CERTIFICATE
    assert "niet uitgegeven voor 127.0.0.1" in str(problem)


def test_a_certificate_signed_by_another_authority_is_refused(
    tls_server: Cluster, tmp_path: Path
) -> None:
    stranger = tmp_path / "stranger.pem"
    stranger.write_bytes(Authority("Iemand anders CA").pem())
    choose_school_certificate(stranger)
    problem = refused(elsewhere(tls_server))
    assert problem.problem is ServerProblem.CERTIFICATE


def test_a_file_that_is_no_certificate_is_not_kept(tmp_path: Path) -> None:
    wrong = tmp_path / "notities.txt"
    wrong.write_text("geen certificaat", encoding="utf-8")
    with pytest.raises(ValueError, match="is geen certificaat"):
        choose_school_certificate(wrong)
