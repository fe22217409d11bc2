#!/usr/bin/env node
// Verifies a Sigstore bundle with sigstore-js (@sigstore/verify), offline, against a PEM public key.
//   node verify.js --bundle FILE --key PUBKEY.pem [--artifact FILE] [--payload-type T] [--subject NAME=SHA256]...
// Exit 0 when verified; 1 with the reason on stderr otherwise.
// sigstore-js checks the signature only: it does not compare a message signature's digest with the artifact
// nor look inside a DSSE payload, so this script checks those itself.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { bundleFromJSON } = require('@sigstore/bundle');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

function parseArguments(argv) {
  const options = { subjects: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${name}`);
    if (name === '--bundle') options.bundle = value;
    else if (name === '--key') options.key = value;
    else if (name === '--artifact') options.artifact = value;
    else if (name === '--payload-type') options.payloadType = value;
    else if (name === '--subject') options.subjects.push(value);
    else throw new Error(`unknown option ${name}`);
  }
  if (!options.bundle || !options.key) throw new Error('--bundle and --key are required');
  return options;
}

try {
  const options = parseArguments(process.argv.slice(2));
  const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(options.bundle, 'utf8')));
  const publicKey = crypto.createPublicKey(fs.readFileSync(options.key, 'utf8'));
  const emptyRoot = { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] };
  const trust = toTrustMaterial(emptyRoot, () => ({ publicKey, validFor: () => true }));
  const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  const artifact = options.artifact ? fs.readFileSync(options.artifact) : undefined;
  verifier.verify(toSignedEntity(bundle, artifact));

  if (bundle.content.$case === 'messageSignature') {
    if (!artifact) throw new Error('a message signature needs --artifact');
    const digest = crypto.createHash('sha256').update(artifact).digest();
    if (!digest.equals(bundle.content.messageSignature.messageDigest.digest)) throw new Error('the bundle digest is not the artifact digest');
  } else {
    const envelope = bundle.content.dsseEnvelope;
    if (options.payloadType && envelope.payloadType !== options.payloadType) throw new Error(`payload type ${envelope.payloadType}`);
    const statement = JSON.parse(envelope.payload.toString('utf8'));
    for (const subject of options.subjects) {
      const [name, sha256] = subject.split('=');
      if (!statement.subject.some((s) => s.name === name && s.digest.sha256 === sha256)) throw new Error(`subject ${name} with ${sha256} not found`);
    }
  }
  console.log('verified');
} catch (error) {
  console.error(`sigstore-js: ${error.message}`);
  process.exit(1);
}
