/**
 * The trust root: who may change the policy and who may sign promotions, configured outside the GitOps repository so
 * that the credential that pushes promotions cannot move it. Git commit signatures (SSH {@code gpgsig} in git's SSHSIG
 * form, namespace {@code git}, and OpenPGP) are made and verified here; the policy in force is the newest version of
 * {@code odoo-gitops.yaml} whose change a policy admin signed ({@link SignedFileHistory}).
 *
 * <p>Uses {@code signing} for SSH signatures and allowed_signers, BouncyCastle for OpenPGP and JGit for commits. The
 * {@code gitops} package consults it; nothing here knows about environments or promotions.
 */
package io.odoogitops.trust;
