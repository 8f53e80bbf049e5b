// Package provider is the Terraform/OpenTofu provider of Dialtone: the dialtone_region resource
// (register, keep in or out of rotation, drain and deregister a region) and the dialtone_status
// and dialtone_regions data sources. It never sets the live active region: that belongs to the
// control plane.
package provider

import (
	"context"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dialtone-dev/terraform-provider-dialtone/internal/client"
)

// Address is where OpenTofu finds the provider; configs say source = "dialtone/dialtone".
const Address = "registry.opentofu.org/dialtone/dialtone"

// Option changes how the provider is built (tests swap the environment and the clock).
type Option func(*dialtoneProvider)

// WithEnv replaces os.Getenv for the DIALTONE_* fallbacks.
func WithEnv(env func(string) string) Option { return func(p *dialtoneProvider) { p.env = env } }

// WithClock replaces the system clock.
func WithClock(c client.Clock) Option { return func(p *dialtoneProvider) { p.clock = c } }

// New returns the provider factory providerserver.Serve and the tests use.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &dialtoneProvider{version: version, env: os.Getenv, clock: client.SystemClock{}}
		for _, o := range opts {
			o(p)
		}
		return p
	}
}

type dialtoneProvider struct {
	version string
	env     func(string) string
	clock   client.Clock
}

type providerModel struct {
	Endpoints  types.List   `tfsdk:"endpoints"`
	Deployment types.String `tfsdk:"deployment"`
	CAFile     types.String `tfsdk:"ca_file"`
	CertFile   types.String `tfsdk:"cert_file"`
	KeyFile    types.String `tfsdk:"key_file"`
	TLSDir     types.String `tfsdk:"tls_dir"`
	TokenFile  types.String `tfsdk:"token_file"`
	Plaintext  types.Bool   `tfsdk:"plaintext"`
	Timeout    types.String `tfsdk:"timeout"`
}

func (p *dialtoneProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "dialtone"
	resp.Version = p.version
}

func (p *dialtoneProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Dialtone's control plane: regions, their rotation, and the deployment's status. Mutations go to the leader replica over mutual TLS.",
		Attributes: map[string]schema.Attribute{
			"endpoints": schema.ListAttribute{
				ElementType: types.StringType, Optional: true,
				Description: "The replicas' admin addresses, host:port, tried in turn until one answers; mutations go to the leader (the replica whose replica_id is its leader_id). Default: DIALTONE_ENDPOINTS (comma-separated).",
			},
			"deployment": schema.StringAttribute{
				Optional:    true,
				Description: "The deployment's name; with TLS a replica's certificate must carry the URI SAN spiffe://<deployment>/replica/<id> (an agent's or operator's is refused). Default: DIALTONE_DEPLOYMENT.",
			},
			"ca_file":   schema.StringAttribute{Optional: true, Description: "PEM trust bundle the replicas' certificates chain to. Default: DIALTONE_TLS_CA, or tls_dir/ca.crt."},
			"cert_file": schema.StringAttribute{Optional: true, Description: "PEM client certificate (spiffe://<deployment>/operator/<name>). Default: DIALTONE_TLS_CERT, or tls_dir/client.crt."},
			"key_file":  schema.StringAttribute{Optional: true, Description: "PEM (PKCS#8) key of cert_file. Default: DIALTONE_TLS_KEY, or tls_dir/client.key."},
			"tls_dir":   schema.StringAttribute{Optional: true, Description: "A directory holding ca.crt, client.crt and client.key (what `dialtone --tls-dir` takes). Default: DIALTONE_TLS_DIR."},
			"token_file": schema.StringAttribute{
				Optional:    true,
				Description: "A file holding a bearer token, sent as `authorization: Bearer <token>`; never logged. Default: DIALTONE_TOKEN_FILE, then the token itself from DIALTONE_TOKEN.",
			},
			"plaintext": schema.BoolAttribute{Optional: true, Description: "No TLS: only for a dev/lab replica started with plaintext: true. A token is refused over plaintext."},
			"timeout":   schema.StringAttribute{Optional: true, Description: "Bound of one operation (finding the leader, retrying on a leadership change, the call), e.g. \"30s\" (the default)."},
		},
	}
}

func (p *dialtoneProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if anyUnknown(m.Endpoints, m.Deployment, m.CAFile, m.CertFile, m.KeyFile, m.TLSDir, m.TokenFile, m.Plaintext, m.Timeout) {
		// Known only after apply (e.g. from another resource): the resources say so if used.
		return
	}
	s := client.Settings{
		Deployment: m.Deployment.ValueString(), CAFile: m.CAFile.ValueString(), CertFile: m.CertFile.ValueString(),
		KeyFile: m.KeyFile.ValueString(), TLSDir: m.TLSDir.ValueString(), TokenFile: m.TokenFile.ValueString(),
		Plaintext: m.Plaintext.ValueBool(),
	}
	if !m.Endpoints.IsNull() {
		resp.Diagnostics.Append(m.Endpoints.ElementsAs(ctx, &s.Endpoints, false)...)
	}
	if t := m.Timeout.ValueString(); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 {
			resp.Diagnostics.AddAttributeError(path.Root("timeout"), "Invalid timeout", "want a positive duration such as \"30s\" or \"2m\", not "+t)
			return
		}
		s.Timeout = d
	}
	r, problems := client.Resolve(s, p.env)
	for _, pr := range problems {
		resp.Diagnostics.AddAttributeError(path.Root(pr.Attribute), pr.Summary, pr.Detail)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if r.Plaintext {
		resp.Diagnostics.AddWarning("Dialtone: plaintext", "The admin API is reached without TLS: only for a dev/lab replica.")
	}
	c, err := client.New(r, p.clock)
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure the Dialtone provider", err.Error())
		return
	}
	tflog.Debug(ctx, "dialtone provider configured", map[string]any{"settings": r.String()})
	resp.ResourceData = c
	resp.DataSourceData = c
}

func (p *dialtoneProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewRegionResource}
}

func (p *dialtoneProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewStatusDataSource, NewRegionsDataSource}
}

type unknowable interface{ IsUnknown() bool }

func anyUnknown(vs ...unknowable) bool {
	for _, v := range vs {
		if v.IsUnknown() {
			return true
		}
	}
	return false
}

// configured is the client a resource or data source was handed, or an error saying why not.
func configured(data any) (*client.Client, string) {
	if data == nil {
		return nil, ""
	}
	c, ok := data.(*client.Client)
	if !ok {
		return nil, "unexpected provider data"
	}
	return c, ""
}
