/**
 * The CA file setting (extra CA certificates, e.g. for corporate TLS inspection): read,
 * parsed and tried as a TLS context in one place, both before it is saved and when core starts.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { fail } from '../errors.js';
import { configInvalid } from '../../shared/errors.js';
import { errorText } from '../../shared/error-text.js';

/** 1 MiB: a whole CA bundle (Debian's ca-certificates.crt) is about 220 KB. */
export const MAX_CA_FILE_BYTES = 1024 * 1024;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Reads a CA file and proves it usable: a regular file of at most `MAX_CA_FILE_BYTES`, holding
 * at least one PEM certificate, every certificate parsing, and Node building a TLS context with
 * them. Returns the PEM text. Throws `config_invalid` (field `caFile`) otherwise.
 *
 * The error says the same for a missing file, a folder, a device, a file Signet may not read
 * and a file without a PEM certificate: only the path the user typed is named, and nothing
 * tells whether something exists there (the Settings screen must not become a way to probe the
 * disk). A file that does hold PEM certificate blocks gets the precise problem (which one
 * fails to parse): certificates are public data.
 */
export function readCaFile(path: string): string {
  const pem = readCapped(path);
  const unusable = (problem?: string, certificate?: number) =>
    fail(
      configInvalid(
        'caFile',
        problem
          ? errorText('errors.config.caFileProblem', { path, problem }, 'errors.hint.caFile')
          : errorText('errors.config.caFile', { path }, 'errors.hint.caFile'),
        {
          detail: { file: path, ...(certificate ? { certificate } : {}) },
        },
      ),
    );
  const blocks = pem?.match(PEM_BLOCK);
  if (!pem || !blocks) return unusable();
  const { X509Certificate } = process.getBuiltinModule('node:crypto');
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      unusable(`certificate ${i + 1} of ${blocks.length} in it is not a valid certificate`, i + 1);
    }
  });
  // node:tls on use only: it costs every `signet` start a few ms, and most set no CA file.
  const { createSecureContext, rootCertificates } = process.getBuiltinModule('node:tls');
  try {
    createSecureContext({ ca: [...rootCertificates, pem] });
  } catch (err) {
    unusable(`TLS refuses its certificates (${err instanceof Error ? err.message : String(err)})`);
  }
  return pem;
}

/** The file's text, or undefined when it is not a readable regular file within the cap. */
function readCapped(path: string): string | undefined {
  let fd: number | undefined;
  try {
    // Opened once and checked through the same descriptor: what is read is what was checked.
    // Non-blocking, so a FIFO does not hang the open.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_CA_FILE_BYTES) return undefined;
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
