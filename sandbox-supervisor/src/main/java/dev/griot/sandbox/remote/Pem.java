package dev.griot.sandbox.remote;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** TLS material from PEM files: the runner's key and certificate chain, a client's trusted certificate. */
final class Pem {

  private Pem() {}

  /** A server context from a certificate chain and an unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}). */
  static SSLContext serverContext(Path certificate, Path privateKey) {
    try {
      char[] none = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("runner", key(privateKey), none, certificates(certificate).toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, none);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot load the TLS certificate " + certificate + " and key " + privateKey + ": " + e, e);
    }
  }

  /** A trust manager that trusts the certificates of {@code file} and nothing else. */
  static TrustManager trusting(Path file) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      List<Certificate> certs = certificates(file);
      for (int i = 0; i < certs.size(); i++) store.setCertificateEntry("trusted-" + i, certs.get(i));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf.getTrustManagers()[0];
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot load the trusted certificate " + file + ": " + e, e);
    }
  }

  private static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    var certs = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
    if (certs.isEmpty()) throw new GeneralSecurityException("no certificate in " + file);
    return List.copyOf(certs);
  }

  private static PrivateKey key(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file);
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < 0) throw new GeneralSecurityException(file + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY)");
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }
}
