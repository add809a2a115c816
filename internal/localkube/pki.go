package localkube

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// adminUser is the user that the static token authenticates; it is a member of
// system:masters, so RBAC lets it do everything.
const adminUser = "oneko-admin"

// credentials are the files the API server needs, written into one folder.
type credentials struct {
	certFile      string // serving certificate, PEM; also the CA clients trust
	keyFile       string // its private key, PEM
	caPEM         []byte // content of certFile
	tokenFile     string // static token file for --token-auth-file
	token         string // the admin bearer token
	saKeyFile     string // service-account signing key, PEM (PKCS#8)
	saPubKeyFile  string // its public key, PEM (PKIX)
	serviceIssuer string // --service-account-issuer
}

// writeCredentials makes a self-signed serving certificate for 127.0.0.1 and localhost, a
// random admin token and a service-account key pair, and writes them into dir.
func writeCredentials(dir string) (*credentials, error) {
	c := &credentials{
		certFile:      filepath.Join(dir, "apiserver.crt"),
		keyFile:       filepath.Join(dir, "apiserver.key"),
		tokenFile:     filepath.Join(dir, "tokens.csv"),
		saKeyFile:     filepath.Join(dir, "sa.key"),
		saPubKeyFile:  filepath.Join(dir, "sa.pub"),
		serviceIssuer: "https://kubernetes.default.svc.cluster.local",
	}

	certPEM, keyPEM, err := selfSignedCert()
	if err != nil {
		return nil, fmt.Errorf("make serving certificate: %w", err)
	}
	c.caPEM = certPEM

	tokenBytes := make([]byte, 24)
	if _, err := rand.Read(tokenBytes); err != nil {
		return nil, fmt.Errorf("make admin token: %w", err)
	}
	c.token = hex.EncodeToString(tokenBytes)
	// Format: token,user,uid,"group1,group2".
	tokenLine := fmt.Sprintf("%s,%s,%s,\"system:masters\"\n", c.token, adminUser, adminUser)

	saKey, saPub, err := serviceAccountKeys()
	if err != nil {
		return nil, fmt.Errorf("make service-account key: %w", err)
	}

	files := []struct {
		path string
		data []byte
	}{
		{c.certFile, certPEM},
		{c.keyFile, keyPEM},
		{c.tokenFile, []byte(tokenLine)},
		{c.saKeyFile, saKey},
		{c.saPubKeyFile, saPub},
	}
	for _, f := range files {
		if err := os.WriteFile(f.path, f.data, 0o600); err != nil {
			return nil, fmt.Errorf("write %s: %w", filepath.Base(f.path), err)
		}
	}
	return c, nil
}

// selfSignedCert returns a PEM certificate and key valid for 127.0.0.1 and localhost. It
// is its own CA, so clients trust exactly this certificate.
func selfSignedCert() (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, fmt.Errorf("generate serial number: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "oneko-localkube"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("sign certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("encode key: %w", err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return certPEM, keyPEM, nil
}

// serviceAccountKeys returns an RSA key pair, PEM encoded, for signing service-account
// tokens. RSA because every consumer of these tokens accepts RS256.
func serviceAccountKeys() (keyPEM, pubPEM []byte, err error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, fmt.Errorf("generate key: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("encode key: %w", err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, nil, fmt.Errorf("encode public key: %w", err)
	}
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	pubPEM = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	return keyPEM, pubPEM, nil
}
