#!/usr/bin/env python3
"""Regenerates fuzz/context/ (the keys and policy the fuzz targets verify against) and fuzz/seeds/TARGET/
(small valid inputs) with the real tools: ssh-keygen, git, gpg, openssl and tar. Security-key (sk-*)
signatures have no software tool here, so they are assembled as OpenSSH writes them (PROTOCOL.u2f) and
signed with openssl. Run once: ./fuzz/make-seeds.py (it replaces both folders; commit the result)."""
import base64, hashlib, json, os, shutil, struct, subprocess, tempfile

ROOT = os.path.dirname(os.path.abspath(__file__))
CONTEXT, SEEDS = os.path.join(ROOT, "context"), os.path.join(ROOT, "seeds")
FIXTURES = os.path.join(ROOT, "..", "tests", "BuildTrust.Verifiers.Tests", "Attestation", "Fixtures")
MESSAGE = b"buildtrust fuzz message\n"
REVIEWED = "0123456789abcdef0123456789abcdef01234567"
RECORD = f"buildtrust-review v1 approve {REVIEWED}\n".encode()


def run(*args, input=None, cwd=None, env=None):
    return subprocess.run(args, input=input, cwd=cwd, env=env, check=True, capture_output=True).stdout


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def s(data):  # SSH wire string
    data = data.encode() if isinstance(data, str) else data
    return struct.pack(">I", len(data)) + data


def mpint(value):
    raw = value.lstrip(b"\0")
    return s(b"\0" + raw if raw and raw[0] & 0x80 else raw)


def armor_ssh(blob):
    text = base64.b64encode(blob).decode()
    return "-----BEGIN SSH SIGNATURE-----\n" + "\n".join(text[i:i + 70] for i in range(0, len(text), 70)) + "\n-----END SSH SIGNATURE-----\n"


def dearmor_ssh(text):
    return base64.b64decode("".join(l for l in text.splitlines() if l and not l.startswith("-----")))


def ssh_keys(work):
    """ssh-keygen keys of every accepted type; returns {name: (private path, public line)}."""
    keys = {}
    for name, args in [("ed25519", ["-t", "ed25519"]), ("ecdsa256", ["-t", "ecdsa", "-b", "256"]), ("ecdsa384", ["-t", "ecdsa", "-b", "384"]),
                       ("ecdsa521", ["-t", "ecdsa", "-b", "521"]), ("rsa3072", ["-t", "rsa", "-b", "3072"])]:
        path = os.path.join(work, name)
        run("ssh-keygen", "-q", *args, "-N", "", "-C", f"fuzz-{name}", "-f", path)
        keys[name] = (path, open(path + ".pub").read().strip())
    return keys


def ssh_sign(private, message, namespace):
    return run("ssh-keygen", "-q", "-Y", "sign", "-n", namespace, "-f", private, input=message).decode()


class SoftwareSecurityKey:
    """sk-ssh-ed25519 / sk-ecdsa-sha2-nistp256 signatures as an authenticator makes them, keys made by openssl."""

    def __init__(self, work, kind, application="ssh:"):
        self.kind, self.application = kind, application
        self.private = os.path.join(work, f"sk-{kind}.pem")
        run("openssl", "genpkey", "-algorithm", "ed25519" if kind == "ed25519" else "EC", *([] if kind == "ed25519" else ["-pkeyopt", "ec_paramgen_curve:P-256"]), "-out", self.private)
        der = run("openssl", "pkey", "-in", self.private, "-pubout", "-outform", "DER")
        if kind == "ed25519":
            self.algorithm = "sk-ssh-ed25519@openssh.com"
            self.blob = s(self.algorithm) + s(der[-32:]) + s(application)
        else:
            self.algorithm = "sk-ecdsa-sha2-nistp256@openssh.com"
            self.blob = s(self.algorithm) + s("nistp256") + s(der[-65:]) + s(application)
        self.line = f"{self.algorithm} {base64.b64encode(self.blob).decode()} fuzz-sk-{kind}"

    def sign(self, work, message, namespace, flags=0x01, counter=7):
        signed = b"SSHSIG" + s(namespace) + s(b"") + s("sha512") + s(hashlib.sha512(message).digest())
        data = hashlib.sha256(self.application.encode()).digest() + bytes([flags]) + struct.pack(">I", counter) + hashlib.sha256(signed).digest()
        path = os.path.join(work, "sk-data")
        write(path, data)
        if self.kind == "ed25519":
            raw = run("openssl", "pkeyutl", "-sign", "-rawin", "-inkey", self.private, "-in", path)
        else:
            der = run("openssl", "dgst", "-sha256", "-sign", self.private, path)
            r, rest = der_integer(der[2:])
            sv, _ = der_integer(rest)
            raw = mpint(r) + mpint(sv)
        blob = s(self.algorithm) + s(raw) + bytes([flags]) + struct.pack(">I", counter)
        return armor_ssh(b"SSHSIG" + struct.pack(">I", 1) + s(self.blob) + s(namespace) + s(b"") + s("sha512") + s(blob))


def der_integer(data):
    assert data[0] == 0x02
    return data[2:2 + data[1]], data[2 + data[1]:]


def gpg_keys(work):
    """Two gpg keys: Ed25519 primary (certify+sign) and RSA-3072 primary with an Ed25519 signing subkey."""
    home = os.path.join(work, "gnupg")
    os.makedirs(home, mode=0o700)
    env = dict(os.environ, GNUPGHOME=home)
    gpg = lambda *a, input=None: run("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", *a, input=input, env=env)
    gpg("--quick-gen-key", "Fuzz Ed25519 <ed25519@fuzz.invalid>", "ed25519", "sign,cert", "never")
    gpg("--quick-gen-key", "Fuzz RSA <rsa@fuzz.invalid>", "rsa3072", "cert", "never")
    listing = gpg("--with-colons", "--list-keys").decode().splitlines()
    fingerprints = [l.split(":")[9] for i, l in enumerate(listing) if l.startswith("fpr:") and listing[i - 1].startswith("pub:")]
    gpg("--quick-add-key", fingerprints[1], "ed25519", "sign", "never")
    return gpg, env, fingerprints


def git_commits(work, keys, sk, gpg_env, fingerprints):
    repo = os.path.join(work, "repo")
    os.makedirs(repo)
    env = dict(gpg_env, GIT_AUTHOR_NAME="Fuzz", GIT_AUTHOR_EMAIL="fuzz@fuzz.invalid", GIT_COMMITTER_NAME="Fuzz", GIT_COMMITTER_EMAIL="fuzz@fuzz.invalid",
               GIT_AUTHOR_DATE="1767225600 +0100", GIT_COMMITTER_DATE="1767225600 +0100", GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    git = lambda *a: run("git", *a, cwd=repo, env=env)
    git("init", "-q", "-b", "main")
    commits = {}
    signers = [("ssh-ed25519", ["-c", "gpg.format=ssh", "-c", f"user.signingkey={keys['ed25519'][0]}"]),
               ("ssh-ecdsa256", ["-c", "gpg.format=ssh", "-c", f"user.signingkey={keys['ecdsa256'][0]}"]),
               ("ssh-rsa3072", ["-c", "gpg.format=ssh", "-c", f"user.signingkey={keys['rsa3072'][0]}"]),
               ("openpgp-ed25519", ["-c", f"user.signingkey={fingerprints[0]}"]),
               ("openpgp-subkey", ["-c", f"user.signingkey={fingerprints[1]}"]),
               ("unsigned", None)]
    for name, config in signers:
        write(os.path.join(repo, "file.txt"), name + "\n")
        git("add", "file.txt")
        git(*(config or []), "commit", "-q", *(["-S"] if config else []), "-m", f"{name} commit\n\nbody line")
        commits[name] = git("cat-file", "commit", "HEAD")
    # A security-key signed commit: the signature inserted as git does (gpgsig header, continuation lines).
    payload = git("cat-file", "commit", "HEAD").replace(b"unsigned commit", b"sk commit")
    signature = sk.sign(work, payload, "git")
    header, rest = payload.split(b"\n\n", 1)
    commits["ssh-sk-ed25519"] = header + b"\ngpgsig " + signature.strip().replace("\n", "\n ").encode() + b"\n\n" + rest
    # A merge commit (two parent lines) signed with ssh.
    git("checkout", "-q", "-b", "side", "HEAD~1")
    write(os.path.join(repo, "side.txt"), "side\n")
    git("add", "side.txt")
    git("commit", "-q", "-m", "side")
    git("checkout", "-q", "main")
    git("-c", "gpg.format=ssh", "-c", f"user.signingkey={keys['ed25519'][0]}", "merge", "-q", "-S", "--no-ff", "-m", "merge side", "side")
    commits["merge-ssh-ed25519"] = git("cat-file", "commit", "HEAD")
    return commits


def in_toto_statements():
    subjects = [{"name": "app/app.dll", "digest": {"sha256": "a" * 64}}, {"name": "app/app.pdb", "digest": {"sha256": "b" * 64}}]
    provenance = {"_type": "https://in-toto.io/Statement/v1", "subject": subjects, "predicateType": "https://slsa.dev/provenance/v1", "predicate": {
        "buildDefinition": {"buildType": "https://buildtrust.dev/build/v1",
                            "externalParameters": {"repository": "file:///src/repo", "commit": "c" * 40,
                                                   "recipe": {"digest": "d" * 64, "image": "example/sdk@sha256:" + "e" * 64, "command": ["sh", "-c", "make"]}},
                            "internalParameters": {"variations": {"timezone": "UTC", "umask": "0022"}},
                            "resolvedDependencies": [{"uri": "git+file:///src/repo", "digest": {"gitCommit": "c" * 40}},
                                                     {"uri": "docker-image:example/sdk@sha256:" + "e" * 64, "digest": {"sha256": "e" * 64}}]},
        "runDetails": {"builder": {"id": "https://buildtrust.dev/builder/builder-a", "version": {"engine": "20.10", "kernel": "6.1"}},
                       "metadata": {"invocationId": "run-1", "startedOn": "2026-01-01T00:00:00Z", "finishedOn": "2026-01-01T00:01:00Z"}}}}
    summary = {"_type": "https://in-toto.io/Statement/v1", "subject": subjects, "predicateType": "https://slsa.dev/verification_summary/v1", "predicate": {
        "verifier": {"id": "https://buildtrust.dev/verifier"}, "timeVerified": "2026-01-01T00:02:00Z", "resourceUri": "git+file:///src/repo@" + "c" * 40,
        "policy": {"uri": "policies/release.yaml", "digest": {"sha256": "f" * 64}},
        "inputAttestations": [{"uri": "provenance/builder-a.sigstore.json", "digest": {"sha256": "1" * 64}}],
        "verificationResult": "PASSED", "verifiedLevels": ["SLSA_BUILD_LEVEL_3"]}}
    compact = lambda value: json.dumps(value, separators=(",", ":")).encode()
    return {"provenance.json": compact(provenance), "verification-summary.json": compact(summary)}


def bundles(work, statements):
    """Sigstore bundles v0.3 signed by the fuzz bundle key with openssl: two DSSE envelopes and one message signature."""
    key = os.path.join(work, "bundle-key.pem")
    run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key)
    spki = run("openssl", "pkey", "-in", key, "-pubout", "-outform", "DER")
    write(os.path.join(CONTEXT, "bundle", "key.pub.der"), spki)
    hint = base64.b64encode(hashlib.sha256(spki).digest()).decode()
    material = {"publicKey": {"hint": hint}, "tlogEntries": []}
    media = "application/vnd.dev.sigstore.bundle.v0.3+json"

    def sign(data):
        path = os.path.join(work, "to-sign")
        write(path, data)
        return base64.b64encode(run("openssl", "dgst", "-sha256", "-sign", key, path)).decode()

    result = {}
    for name, payload in statements.items():
        payload_type = "application/vnd.in-toto+json"
        pae = b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type.encode(), len(payload), payload)
        envelope = {"payload": base64.b64encode(payload).decode(), "payloadType": payload_type, "signatures": [{"sig": sign(pae), "keyid": hint}]}
        result[name.replace(".json", ".sigstore.json")] = json.dumps({"mediaType": media, "verificationMaterial": material, "dsseEnvelope": envelope}, indent=2).encode()
    artifact = b"artifact bytes\n"
    write(os.path.join(CONTEXT, "bundle", "artifact"), artifact)
    digest = base64.b64encode(hashlib.sha256(artifact).digest()).decode()
    message = {"messageDigest": {"algorithm": "SHA2_256", "digest": digest}, "signature": sign(artifact)}
    result["artifact.sigstore.json"] = json.dumps({"mediaType": media, "verificationMaterial": material, "messageSignature": message}, indent=2).encode()
    return result


def tars(work):
    out = os.path.join(work, "tarsrc", "out")
    write(os.path.join(out, "bin", "app"), b"\x7fELF binary\n")
    write(os.path.join(out, "README"), b"readme\n")
    result = {}
    base = ["tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--blocking-factor=1", "-C", os.path.join(work, "tarsrc"), "-cf", "-"]
    for name, fmt in [("ustar.tar", "ustar"), ("pax.tar", "pax --pax-option=delete=atime,delete=ctime"), ("gnu.tar", "gnu")]:
        result[name] = run(*base, *f"--format={fmt}".split(), "out")
    long_dir = os.path.join(out, "d" * 60, "e" * 60)
    os.makedirs(long_dir)
    write(os.path.join(long_dir, "f" * 40), b"long name\n")
    result["pax-long-name.tar"] = run(*base, "--format=pax", "--pax-option=delete=atime,delete=ctime", "out")
    result["gnu-long-name.tar"] = run(*base, "--format=gnu", "out")
    shutil.rmtree(os.path.join(out, "d" * 60))
    os.symlink("README", os.path.join(out, "link"))
    result["symlink.tar"] = run(*base, "--format=pax", "--pax-option=delete=atime,delete=ctime", "out")
    return result


def main():
    for folder in (CONTEXT, SEEDS):
        shutil.rmtree(folder, ignore_errors=True)
    work = tempfile.mkdtemp(prefix="buildtrust-seeds-")
    try:
        write(os.path.join(CONTEXT, "message"), MESSAGE)
        keys = ssh_keys(work)
        sk_ed, sk_ec = SoftwareSecurityKey(work, "ed25519"), SoftwareSecurityKey(work, "ecdsa")

        # sshsig: the binary SSHSIG blob (the target armors it); ssh-key: public key blobs.
        for name, (private, line) in keys.items():
            write(os.path.join(SEEDS, "sshsig", f"{name}.sshsig"), dearmor_ssh(ssh_sign(private, MESSAGE, "git")))
            write(os.path.join(SEEDS, "ssh-key", f"{name}.blob"), base64.b64decode(line.split()[1]))
        for sk in (sk_ed, sk_ec):
            write(os.path.join(SEEDS, "sshsig", f"sk-{sk.kind}.sshsig"), dearmor_ssh(sk.sign(work, MESSAGE, "git")))
            write(os.path.join(SEEDS, "ssh-key", f"sk-{sk.kind}.blob"), sk.blob)
        for fixture in ("yubikey-p256.pub", "yubikey-ed25519.pub"):
            write(os.path.join(SEEDS, "ssh-key", fixture.replace(".pub", ".blob")), base64.b64decode(open(os.path.join(FIXTURES, fixture)).read().split()[1]))

        # OpenPGP: keys, armored and binary detached signatures of the message.
        gpg, gpg_env, fingerprints = gpg_keys(work)
        for index, (name, fingerprint) in enumerate(zip(("ed25519", "rsa-subkey"), fingerprints)):
            armored = gpg("--armor", "--export", fingerprint)
            write(os.path.join(CONTEXT, "policy", "keys", f"openpgp-{name}.asc"), armored)
            write(os.path.join(SEEDS, "openpgp-key", f"{name}.asc"), armored)
            write(os.path.join(SEEDS, "openpgp-key", f"{name}.gpg"), gpg("--export", fingerprint))
            message_path = os.path.join(CONTEXT, "message")
            write(os.path.join(SEEDS, "openpgp-armor", f"{name}.asc"), gpg("--armor", "--local-user", fingerprint, "--detach-sign", "--output", "-", message_path))
            write(os.path.join(SEEDS, "openpgp-signature", f"{name}.sig"), gpg("--local-user", fingerprint, "--detach-sign", "--output", "-", message_path))
            write(os.path.join(CONTEXT, "openpgp", f"{name}.sig"), gpg("--local-user", fingerprint, "--detach-sign", "--output", "-", message_path))
            if index == 0:
                write(os.path.join(SEEDS, "review-note", "openpgp.note"), gpg("--armor", "--local-user", fingerprint, "--detach-sign", "--output", "-", input=RECORD))

        # The policy the commit and review-note targets judge by (every key above; attested FIDO key from the fixtures).
        for name in ("yubikey-p256.attest", "yubikey-p256.challenge"):
            shutil.copy(os.path.join(FIXTURES, name), os.path.join(CONTEXT, "policy", "keys", name))
        for name in ("yubikey-p256.pub", "yubikey-p256.challenge", "yubikey-ed25519.pub", "yubikey-ed25519.challenge"):
            write(os.path.join(CONTEXT, "fido", name), open(os.path.join(FIXTURES, name), "rb").read())
        write(os.path.join(CONTEXT, "policy", "builders", "a.pub"), run("openssl", "pkey", "-pubout", "-in", "/dev/stdin", input=run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")))
        write(os.path.join(CONTEXT, "policy", "builders", "b.pub"), run("openssl", "pkey", "-pubout", "-in", "/dev/stdin", input=run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")))
        for root in ("yubico-fido-ca-1.pem", "yubico-piv-ca-1.pem"):
            write(os.path.join(CONTEXT, "policy", "trust", root), open(os.path.join(ROOT, "..", "policies", "trust", root), "rb").read())
        ssh_lines = "\n".join(f'      - ssh: "{line}"' for _, line in keys.values())
        policy = f"""version: 1
maintainers:
  - id: alice
    roles: [author, reviewer, policy-admin]
    keys:
{ssh_lines}
      - ssh: "{sk_ed.line}"
      - ssh: "{sk_ec.line}"
        valid-until: 2030-12-31
    valid-until: 2031-06-30
  - id: bob
    roles: [author, reviewer]
    keys:
      - openpgp: keys/openpgp-ed25519.asc
      - openpgp: keys/openpgp-rsa-subkey.asc
      - ssh: "{open(os.path.join(FIXTURES, 'yubikey-p256.pub')).read().strip()}"
        attestation: keys/yubikey-p256.attest
        attestation-challenge: keys/yubikey-p256.challenge
trust:
  attestation-roots: [trust/yubico-fido-ca-1.pem]
commits:
  require: hardware
  user-verification: false
  require-touch: true
  reviews: 1
  policy-changes: 1
  exempt:
    - commit: {"b" * 40}
      reason: "imported history"
builders:
  - id: builder-a
    endpoint: unix:///var/run/docker.sock
    key: builders/a.pub
    variations: [timezone, umask]
  - id: builder-b
    endpoint: tcp://127.0.0.1:2376
    key: builders/b.pub
    tls: tls/b
build:
  image: "example/sdk@sha256:{"e" * 64}"
  command: ["sh", "-c", "make"]
  outputs: ["/out/**"]
  env:
    CONFIGURATION: Release
release:
  quorum: 2
  signing-key: "pkcs11:token=release;object=release"
  public-key: builders/a.pub
  signing-key-hardware: required
"""
        write(os.path.join(CONTEXT, "policy", "policy.yaml"), policy)
        write(os.path.join(SEEDS, "policy", "full.yaml"), policy)
        write(os.path.join(SEEDS, "policy", "minimal.yaml"), f'version: 1\nmaintainers:\n  - id: carol\n    roles: [author]\n    keys:\n      - ssh: "{keys["ed25519"][1]}"\n')

        commits = git_commits(work, keys, sk_ed, gpg_env, fingerprints)
        for name, raw in commits.items():
            write(os.path.join(SEEDS, "commit", f"{name}.commit"), raw)

        # review notes: approvals of REVIEWED (one ssh, two concatenated, sk, and the OpenPGP one above).
        write(os.path.join(SEEDS, "review-note", "ssh.note"), ssh_sign(keys["ed25519"][0], RECORD, "buildtrust-review"))
        write(os.path.join(SEEDS, "review-note", "two.note"), ssh_sign(keys["ecdsa256"][0], RECORD, "buildtrust-review") + ssh_sign(keys["rsa3072"][0], RECORD, "buildtrust-review"))
        write(os.path.join(SEEDS, "review-note", "sk.note"), sk_ec.sign(work, RECORD, "buildtrust-review"))

        # X.509 key attestation (PIV chain fixture, PEM and DER) and FIDO enrollment attestations.
        chain = open(os.path.join(FIXTURES, "yubikey-piv-25515003-chain.pem"), "rb").read()
        write(os.path.join(SEEDS, "x509-attestation", "piv-chain.pem"), chain)
        first = chain[chain.index(b"-----BEGIN CERTIFICATE-----"):]
        write(os.path.join(SEEDS, "x509-attestation", "piv-leaf.der"), run("openssl", "x509", "-outform", "DER", input=first))
        leaf_key = run("openssl", "x509", "-noout", "-pubkey", input=first)
        write(os.path.join(work, "leaf.pem"), leaf_key)
        write(os.path.join(CONTEXT, "x509", "attested-key.pub"), run("ssh-keygen", "-i", "-m", "PKCS8", "-f", os.path.join(work, "leaf.pem")))
        for name in ("yubikey-p256.attest", "yubikey-ed25519.attest"):
            write(os.path.join(SEEDS, "fido-attestation", name), open(os.path.join(FIXTURES, name), "rb").read())

        statements = in_toto_statements()
        for name, data in statements.items():
            write(os.path.join(SEEDS, "in-toto", name), data)
        for name, data in bundles(work, statements).items():
            write(os.path.join(SEEDS, "sigstore-bundle", name), data)
        for name, data in tars(work).items():
            write(os.path.join(SEEDS, "tar", name), data)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
