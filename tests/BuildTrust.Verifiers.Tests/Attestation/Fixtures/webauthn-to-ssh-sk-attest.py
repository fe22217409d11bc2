"""Wraps a published WebAuthn "packed" registration into OpenSSH's ssh-sk-attest-v01 layout.

The enrollment signature covers authenticatorData || SHA-256(clientDataJSON); OpenSSH's covers
authenticatorData || SHA-256(challenge file), so the clientDataJSON bytes serve as the challenge file.
Writes NAME.attest, NAME.challenge and NAME.pub (the OpenSSH sk-* public key, application = the rp id).
Usage: python3 convert.py NAME RP_ID ATTESTATION_OBJECT_B64URL CLIENT_DATA_JSON_B64URL
"""
import base64, struct, sys


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def cbor(data, i=0):
    """Decodes one CBOR item (the subset WebAuthn uses); returns (value, next index)."""
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        n = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        n = int.from_bytes(data[i:i + size], "big")
        i += size
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major in (2, 3):
        raw = data[i:i + n]
        return (raw if major == 2 else raw.decode()), i + n
    if major == 4:
        items = []
        for _ in range(n):
            item, i = cbor(data, i)
            items.append(item)
        return items, i
    if major == 5:
        items = {}
        for _ in range(n):
            key, i = cbor(data, i)
            items[key], i = cbor(data, i)
        return items, i
    raise ValueError(f"unsupported CBOR major type {major}")


def string(value):
    return struct.pack(">I", len(value)) + value


def cbor_bytes(value):
    assert len(value) < 65536
    head = bytes([0x40 + len(value)]) if len(value) < 24 else (bytes([0x58, len(value)]) if len(value) < 256 else bytes([0x59]) + len(value).to_bytes(2, "big"))
    return head + value


name, rp_id, attestation_object, client_data = sys.argv[1], sys.argv[2], b64url(sys.argv[3]), b64url(sys.argv[4])
obj, end = cbor(attestation_object)
assert end == len(attestation_object) and obj["fmt"] == "packed"
statement, auth_data = obj["attStmt"], obj["authData"]
attest = string(b"ssh-sk-attest-v01") + string(statement["x5c"][0]) + string(statement["sig"]) + string(cbor_bytes(auth_data)) + struct.pack(">I", 0) + string(b"")
id_length = int.from_bytes(auth_data[53:55], "big")
cose, _ = cbor(auth_data, 55 + id_length)
if cose[1] == 2:  # EC2 P-256
    key_type = b"sk-ecdsa-sha2-nistp256@openssh.com"
    blob = string(key_type) + string(b"nistp256") + string(b"\x04" + cose[-2] + cose[-3]) + string(rp_id.encode())
else:  # OKP Ed25519
    key_type = b"sk-ssh-ed25519@openssh.com"
    blob = string(key_type) + string(cose[-2]) + string(rp_id.encode())
open(f"{name}.attest", "wb").write(attest)
open(f"{name}.challenge", "wb").write(client_data)
open(f"{name}.pub", "w").write(f"{key_type.decode()} {base64.b64encode(blob).decode()} {name}\n")
