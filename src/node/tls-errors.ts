/**
 * Telling TLS failures apart by the error code Node or OpenSSL gives them, for the sentence a user
 * or IT reads: the certificate could not be verified (and whether its issuer is simply not
 * trusted, which a CA file fixes), or the handshake itself failed. Shared by core's HTTP client
 * and the tenant's directory (LDAP) connection.
 */

const CERTIFICATE =
  /^(ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_|INVALID_CA|PATH_LENGTH_EXCEEDED|INVALID_PURPOSE|HOSTNAME_MISMATCH)/;

/** The peer's certificate failed verification (expired, wrong name, untrusted issuer, …). */
export function isCertificateErrorCode(code: string): boolean {
  return CERTIFICATE.test(code);
}

/** The certificate chain ends at an issuer this machine does not trust: a CA file fixes it. */
export function isUntrustedIssuerCode(code: string): boolean {
  return /^(UNABLE_TO_(VERIFY_LEAF|GET_ISSUER)|SELF_SIGNED|DEPTH_ZERO)/.test(code);
}

/** The TLS handshake failed before any certificate was judged (protocol, cipher, …). */
export function isHandshakeErrorCode(code: string): boolean {
  return /^ERR_SSL_|^EPROTO$/.test(code);
}

/** Any TLS failure: certificate, handshake, or another of Node's `ERR_TLS_*` errors. */
export function isTlsErrorCode(code: string): boolean {
  return isCertificateErrorCode(code) || isHandshakeErrorCode(code) || code.startsWith('ERR_TLS_');
}
