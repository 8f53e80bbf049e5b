package client

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Pipeline is what a lab (`dialtone lab --spare-region ID`) writes to <work>/pipeline.json for
// a provisioning pipeline: how to reach the deployment, and the region it may register.
type Pipeline struct {
	Deployment  string     `json:"deployment"`
	Endpoints   []string   `json:"endpoints"`
	TLSDir      string     `json:"tlsDir"`
	SpareRegion *SpareSpec `json:"spareRegion"`
	Path        string     `json:"-"`
}

// SpareSpec is the spare region's id, priority and edge.
type SpareSpec struct {
	ID       string   `json:"id"`
	Priority int      `json:"priority"`
	IPv4     []string `json:"ipv4"`
	IPv6     []string `json:"ipv6"`
	SIPURI   string   `json:"sipUri"`
}

// ReadPipeline reads dir/pipeline.json.
func ReadPipeline(dir string) (Pipeline, error) {
	p := Pipeline{Path: filepath.Join(dir, "pipeline.json")}
	b, err := os.ReadFile(p.Path)
	if err != nil {
		return p, fmt.Errorf("%s: %s (start a lab with --spare-region)", p.Path, ioReason(err))
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("%s: %v", p.Path, err)
	}
	if len(p.Endpoints) == 0 {
		return p, fmt.Errorf("%s: no endpoints", p.Path)
	}
	return p, nil
}

// Settings reach the deployment as the lab's operator (plaintext if the lab has no TLS).
func (p Pipeline) Settings() Settings {
	return Settings{Endpoints: p.Endpoints, Deployment: p.Deployment, TLSDir: p.TLSDir, Plaintext: p.TLSDir == ""}
}
