/**
 * SSH signatures in OpenSSH's {@code SSHSIG} format ({@code ssh-keygen -Y sign/verify}, PROTOCOL.sshsig) over arbitrary
 * bytes under a namespace, and {@code allowed_signers} files: who may sign what, with which key. Ed25519, ECDSA
 * (nistp256/384/521), RSA (rsa-sha2-256/512) and hardware keys ({@code sk-ssh-ed25519@openssh.com},
 * {@code sk-ecdsa-sha2-nistp256@openssh.com}, PROTOCOL.u2f) are verified; software keys can also sign. Key parsing and
 * the signature algorithms are Apache MINA sshd's; this package adds only the SSHSIG envelope and the signers file.
 *
 * <p>Nothing here knows about votes or promotions: the policy signs and verifies its own statements with it, and so
 * can signed commits and reports later. Private keys never appear in messages or {@code toString()}.
 */
package io.odoogitops.signing;
