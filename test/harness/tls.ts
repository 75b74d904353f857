// A throwaway public-key infrastructure for tests, made with the `openssl` command: a CA the tests
// trust, a good server certificate for localhost/127.0.0.1/::1, and one certificate per way a
// certificate can fail (expired, wrong name, self-signed, unknown CA, self-signed CA in the chain).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ServerCredentials {
  /** PEM: the leaf, followed by the chain the server sends. */
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  /** The CA the tests trust (PEM text and file, e.g. for NODE_EXTRA_CA_CERTS). */
  caCert: string;
  caCertPath: string;
  /** Signed by the trusted CA, valid for localhost, 127.0.0.1 and ::1. */
  server: ServerCredentials;
  /** Signed by the trusted CA, but its validity ended yesterday → CERT_HAS_EXPIRED. */
  expired: ServerCredentials;
  /** Signed by the trusted CA for wrong.example only → ERR_TLS_CERT_ALTNAME_INVALID. */
  wrongName: ServerCredentials;
  /** A self-signed leaf → DEPTH_ZERO_SELF_SIGNED_CERT. */
  selfSigned: ServerCredentials;
  /** Signed by another CA, sent without it → UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  unknownCa: ServerCredentials;
  /** Signed by another CA, sent with that (self-signed) CA → SELF_SIGNED_CERT_IN_CHAIN. */
  untrustedChain: ServerCredentials;
  remove(): void;
}

const localNames = 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1';

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** An EC key (fast to make) in `<name>.key`. */
function makeKey(dir: string, name: string): void {
  openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`]);
}

function makeCa(dir: string, name: string, commonName: string): void {
  makeKey(dir, name);
  openssl(dir, [
    'req', '-x509', '-new', '-key', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

/** A leaf for `names` signed by CA `ca`; `days` may be negative (already expired). */
function makeLeaf(dir: string, name: string, ca: string, names: string, days: number): void {
  makeKey(dir, name);
  openssl(dir, ['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  writeFileSync(path.join(dir, `${name}.ext`), `${names}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', String(days), '-extfile', `${name}.ext`, '-out', `${name}.pem`,
  ]);
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'workflow-runs-pki-'));
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  try {
    makeCa(dir, 'ca', 'Workflow Runs Test CA');
    makeCa(dir, 'other-ca', 'Unknown Test CA');
    makeLeaf(dir, 'server', 'ca', localNames, 7);
    makeLeaf(dir, 'expired', 'ca', localNames, -1);
    makeLeaf(dir, 'wrong-name', 'ca', 'subjectAltName=DNS:wrong.example', 7);
    makeLeaf(dir, 'unknown-ca', 'other-ca', localNames, 7);
    makeKey(dir, 'self-signed');
    openssl(dir, [
      'req', '-x509', '-new', '-key', 'self-signed.key', '-out', 'self-signed.pem', '-days', '7', '-subj', '/CN=localhost',
      '-addext', localNames, '-addext', 'basicConstraints=CA:FALSE',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const credentials = (name: string, chain = ''): ServerCredentials => ({ cert: read(`${name}.pem`) + chain, key: read(`${name}.key`) });
  return {
    dir,
    caCert: read('ca.pem'),
    caCertPath: path.join(dir, 'ca.pem'),
    server: credentials('server'),
    expired: credentials('expired'),
    wrongName: credentials('wrong-name'),
    selfSigned: credentials('self-signed'),
    unknownCa: credentials('unknown-ca'),
    untrustedChain: credentials('unknown-ca', read('other-ca.pem')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
