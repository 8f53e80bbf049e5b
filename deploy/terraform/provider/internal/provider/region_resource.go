package provider

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/dialtone-dev/terraform-provider-dialtone/internal/client"
	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
)

// Defaults of the attributes the server does not keep.
const (
	defaultReason = "terraform"
	// The control plane promotes a region once healthy for policy.provisioningHealthyFor, 5 min
	// by default: the wait allows twice that.
	defaultStandbyTimeout = "10m"
	defaultTimeout        = "5m"
)

var regionID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// NewRegionResource is dialtone_region.
func NewRegionResource() resource.Resource { return &regionResource{} }

type regionResource struct{ client *client.Client }

var (
	_ resource.ResourceWithConfigure      = (*regionResource)(nil)
	_ resource.ResourceWithImportState    = (*regionResource)(nil)
	_ resource.ResourceWithValidateConfig = (*regionResource)(nil)
)

type regionModel struct {
	ID             types.String `tfsdk:"id"`
	Priority       types.Int64  `tfsdk:"priority"`
	Edge           types.Object `tfsdk:"edge"`
	Reason         types.String `tfsdk:"reason"`
	InRotation     types.Bool   `tfsdk:"in_rotation"`
	WaitForStandby types.Bool   `tfsdk:"wait_for_standby"`
	StandbyTimeout types.String `tfsdk:"standby_timeout"`
	DrainTimeout   types.String `tfsdk:"drain_timeout"`
	Lifecycle      types.String `tfsdk:"lifecycle_state"`
}

type edgeModel struct {
	IPv4   []string `tfsdk:"ipv4"`
	IPv6   []string `tfsdk:"ipv6"`
	SIPURI string   `tfsdk:"sip_uri"`
	CNAME  string   `tfsdk:"cname"`
}

var edgeTypes = map[string]attr.Type{
	"ipv4": types.ListType{ElemType: types.StringType}, "ipv6": types.ListType{ElemType: types.StringType},
	"sip_uri": types.StringType, "cname": types.StringType,
}

func (r *regionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_region"
}

func (r *regionResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	emptyList := types.ListValueMust(types.StringType, []attr.Value{})
	resp.Schema = schema.Schema{
		Description: "A region of the deployment. Create registers it (PROVISIONING) and waits until the control plane, once its agent has reported healthy for a while, makes it a STANDBY. Delete drains it (switching traffic off it first if it is active), waits until no placement routes to it, then deregisters it. Terraform never chooses the active region.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Required: true, Description: "The region's id: lower-case letters, digits and dashes. Changing it replaces the region.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"priority": schema.Int64Attribute{Required: true, Description: "Lower is preferred; changed in place (the region is re-registered with the same id)."},
			"edge": schema.SingleNestedAttribute{
				Required: true, Description: "The region's public edge, what DNS and carrier routing point at; changed in place.",
				Attributes: map[string]schema.Attribute{
					"ipv4":    schema.ListAttribute{ElementType: types.StringType, Optional: true, Computed: true, Default: listdefault.StaticValue(emptyList), Description: "IPv4 addresses for A records."},
					"ipv6":    schema.ListAttribute{ElementType: types.StringType, Optional: true, Computed: true, Default: listdefault.StaticValue(emptyList), Description: "IPv6 addresses for AAAA records."},
					"sip_uri": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(""), Description: "The SIP URI carriers send calls to, e.g. sip:edge.ap-south.example.com:5060."},
					"cname":   schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(""), Description: "A canonical name for CNAME records, if the region is fronted by one."},
				},
			},
			"reason": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultReason), Description: "Why, recorded in the control plane's history with every change this resource makes."},
			"in_rotation": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				Description: "Whether the region may take traffic. false drains it; a region drained by hand reads as false (drift), and applying true cancels the drain (back to PROVISIONING, then STANDBY once healthy).",
			},
			"wait_for_standby": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true), Description: "Whether create (and cancelling a drain) waits until the region is STANDBY or ACTIVE."},
			"standby_timeout":  schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultStandbyTimeout), Description: "How long to wait for STANDBY (the control plane promotes a region once healthy for its policy.provisioningHealthyFor, 5m by default), e.g. \"10m\", the default."},
			"drain_timeout":    schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultTimeout), Description: "How long delete waits until no placement routes to the region, e.g. \"5m\"."},
			"lifecycle_state":  schema.StringAttribute{Computed: true, Description: "(`lifecycle` is a reserved name) PROVISIONING, STANDBY, ACTIVE or DRAINING, as the control plane says."},
		},
	}
}

func (r *regionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	c, problem := configured(req.ProviderData)
	if problem != "" {
		resp.Diagnostics.AddError("Dialtone provider", problem)
	}
	r.client = c
}

func (r *regionResource) ready(diags *diag.Diagnostics) bool {
	if r.client == nil {
		diags.AddError("Dialtone provider not configured", "The provider block's values are not known yet, or it was not configured.")
		return false
	}
	return true
}

func (r *regionResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m regionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, p := range validateRegion(m) {
		resp.Diagnostics.AddAttributeError(p.path, p.summary, p.detail)
	}
	if !m.Edge.IsNull() && !m.Edge.IsUnknown() {
		var e struct {
			IPv4   types.List   `tfsdk:"ipv4"`
			IPv6   types.List   `tfsdk:"ipv6"`
			SIPURI types.String `tfsdk:"sip_uri"`
			CNAME  types.String `tfsdk:"cname"`
		}
		resp.Diagnostics.Append(m.Edge.As(ctx, &e, objectAsOptions)...)
		if resp.Diagnostics.HasError() {
			return
		}
		check := func(name string, l types.List, v4 bool) {
			if l.IsNull() || l.IsUnknown() {
				return
			}
			for i, el := range l.Elements() {
				s, ok := el.(types.String)
				if !ok || s.IsUnknown() {
					continue
				}
				if msg := checkAddress(s.ValueString(), v4); msg != "" {
					resp.Diagnostics.AddAttributeError(path.Root("edge").AtName(name).AtListIndex(i), "Invalid address", msg)
				}
			}
		}
		check("ipv4", e.IPv4, true)
		check("ipv6", e.IPv6, false)
		if u := e.SIPURI.ValueString(); u != "" && !strings.HasPrefix(u, "sip:") && !strings.HasPrefix(u, "sips:") {
			resp.Diagnostics.AddAttributeError(path.Root("edge").AtName("sip_uri"), "Invalid SIP URI", fmt.Sprintf("%q: want sip:host[:port] or sips:...", u))
		}
	}
}

type attrProblem struct {
	path            path.Path
	summary, detail string
}

// validateRegion checks what can be checked before any call; unknown values pass.
func validateRegion(m regionModel) []attrProblem {
	var out []attrProblem
	if v := m.ID; !v.IsUnknown() && !v.IsNull() && !regionID.MatchString(v.ValueString()) {
		out = append(out, attrProblem{path.Root("id"), "Invalid region id", fmt.Sprintf("%q: lower-case letters, digits and dashes, starting with a letter or digit", v.ValueString())})
	}
	if v := m.Priority; !v.IsUnknown() && !v.IsNull() && (v.ValueInt64() < 0 || v.ValueInt64() > 1<<32-1) {
		out = append(out, attrProblem{path.Root("priority"), "Invalid priority", fmt.Sprintf("%d: want 0..4294967295 (lower is preferred)", v.ValueInt64())})
	}
	for name, v := range map[string]types.String{"standby_timeout": m.StandbyTimeout, "drain_timeout": m.DrainTimeout} {
		if v.IsUnknown() || v.IsNull() {
			continue
		}
		if _, err := parseTimeout(v.ValueString()); err != nil {
			out = append(out, attrProblem{path.Root(name), "Invalid duration", err.Error()})
		}
	}
	return out
}

func checkAddress(s string, v4 bool) string {
	ip := net.ParseIP(s)
	switch {
	case ip == nil:
		return fmt.Sprintf("%q is not an IP address", s)
	case v4 && ip.To4() == nil:
		return fmt.Sprintf("%q is not an IPv4 address", s)
	case !v4 && ip.To4() != nil:
		return fmt.Sprintf("%q is an IPv4 address; put it in ipv4", s)
	}
	return ""
}

func parseTimeout(s string) (time.Duration, error) {
	if s == "" {
		s = defaultTimeout
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want a positive duration such as \"5m\" or \"90s\", not %q", s)
	}
	return d, nil
}

func (m regionModel) edge(ctx context.Context, diags *diag.Diagnostics) *pb.RegionEdge {
	var e edgeModel
	diags.Append(m.Edge.As(ctx, &e, objectAsOptions)...)
	return &pb.RegionEdge{Ipv4: e.IPv4, Ipv6: e.IPv6, SipUri: e.SIPURI, Cname: e.CNAME}
}

func edgeValue(e *pb.RegionEdge) (types.Object, diag.Diagnostics) {
	list := func(ss []string) types.List {
		vs := make([]attr.Value, len(ss))
		for i, s := range ss {
			vs[i] = types.StringValue(s)
		}
		return types.ListValueMust(types.StringType, vs)
	}
	return types.ObjectValue(edgeTypes, map[string]attr.Value{
		"ipv4": list(e.GetIpv4()), "ipv6": list(e.GetIpv6()),
		"sip_uri": types.StringValue(e.GetSipUri()), "cname": types.StringValue(e.GetCname()),
	})
}

func (m regionModel) register() *pb.RegisterRegionRequest {
	return &pb.RegisterRegionRequest{Id: m.ID.ValueString(), Priority: uint32(m.Priority.ValueInt64()), Reason: m.Reason.ValueString()}
}

// errorf adds a diagnostic explaining err for action (a refused safety rule, a role, no leader...).
func errorf(diags *diag.Diagnostics, err error, action string, args ...any) {
	summary, detail := client.Explain(fmt.Sprintf(action, args...), err)
	diags.AddError(summary, detail)
}

// model reads the plan or state (get) into a model, once the provider is configured.
func (r *regionResource) model(ctx context.Context, get func(context.Context, any) diag.Diagnostics, diags *diag.Diagnostics) (regionModel, bool) {
	var m regionModel
	if !r.ready(diags) {
		return m, false
	}
	diags.Append(get(ctx, &m)...)
	return m, !diags.HasError()
}

// current is id's entry in a replica's status (nil when absent or REMOVED); false on error.
func (r *regionResource) current(ctx context.Context, id, action string, diags *diag.Diagnostics) (*pb.RegionStatus, bool) {
	st, err := r.client.Status(ctx)
	if err != nil {
		errorf(diags, err, "%s region %s", action, id)
		return nil, false
	}
	if !client.Registered(st, id) {
		return nil, true
	}
	return client.FindRegion(st, id), true
}

// registerRegion sends RegisterRegion with m's id, priority, edge and reason (the server keeps
// the lifecycle of a region it already has) and records the lifecycle it answers.
func (r *regionResource) registerRegion(ctx context.Context, m *regionModel, diags *diag.Diagnostics) bool {
	id := m.ID.ValueString()
	reg := m.register()
	if reg.Edge = m.edge(ctx, diags); diags.HasError() {
		return false
	}
	err := r.client.Mutate(ctx, "register region "+id, func(ctx context.Context, a pb.AdminServiceClient) error {
		out, err := a.RegisterRegion(ctx, reg)
		if err == nil {
			m.Lifecycle = types.StringValue(client.LifecycleName(out.GetRegion().GetLifecycle()))
			tflog.Info(ctx, "region registered", map[string]any{"region": id, "changed": out.GetChanged(), "lifecycle": m.Lifecycle.ValueString()})
		}
		return err
	})
	if err != nil {
		errorf(diags, err, "register region %s", id)
		return false
	}
	return true
}

func (r *regionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, ok := r.model(ctx, req.Plan.Get, &resp.Diagnostics)
	if !ok {
		return
	}
	id := plan.ID.ValueString()
	existing, ok := r.current(ctx, id, "register", &resp.Diagnostics)
	if !ok {
		return
	}
	if existing != nil {
		resp.Diagnostics.AddError("Region "+id+" is already registered",
			fmt.Sprintf("The control plane already has region %s (%s). Bring it under Terraform with: tofu import <address> %s",
				id, client.LifecycleName(existing.GetLifecycle()), id))
		return
	}
	if !r.registerRegion(ctx, &plan, &resp.Diagnostics) {
		return
	}
	// From here on the region exists: whatever fails next, state records it (tainted on error).
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)

	if !plan.InRotation.ValueBool() {
		r.drain(ctx, &plan, &resp.Diagnostics)
	} else if plan.WaitForStandby.ValueBool() {
		r.waitStandby(ctx, &plan, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// waitStandby waits until the control plane promotes the region, recording its lifecycle.
func (r *regionResource) waitStandby(ctx context.Context, m *regionModel, diags *diag.Diagnostics) {
	id := m.ID.ValueString()
	timeout, err := parseTimeout(m.StandbyTimeout.ValueString())
	if err != nil {
		timeout, _ = parseTimeout(defaultStandbyTimeout)
	}
	start := r.client.Clock().Now()
	st, err := r.client.Wait(ctx, "waiting for region "+id+" to become STANDBY", timeout,
		func(st *pb.GetStatusResponse) client.Progress { return client.StandbyProgress(st, id) },
		func(reason string) { tflog.Info(ctx, reason, map[string]any{"region": id}) })
	if st != nil {
		if reg := client.FindRegion(st, id); reg != nil {
			m.Lifecycle = types.StringValue(client.LifecycleName(reg.GetLifecycle()))
		}
	}
	if err != nil {
		diags.AddError("Region "+id+" did not become a standby",
			err.Error()+"\n\nThe control plane promotes a PROVISIONING region only once its agent reports it healthy and ready for a while; check the region's agent and dependencies (dialtone status), or raise standby_timeout, or set wait_for_standby = false.")
		return
	}
	tflog.Info(ctx, "region is a standby", map[string]any{"region": id, "seconds": r.client.Clock().Now().Sub(start).Seconds()})
}

// drain takes the region out of rotation (the server switches traffic off it first if it is
// active) and waits until no placement routes to it.
func (r *regionResource) drain(ctx context.Context, m *regionModel, diags *diag.Diagnostics) bool {
	id := m.ID.ValueString()
	err := r.client.Mutate(ctx, "drain region "+id, func(ctx context.Context, a pb.AdminServiceClient) error {
		out, err := a.DrainRegion(ctx, &pb.DrainRegionRequest{Id: id, Reason: m.Reason.ValueString()})
		if err == nil {
			m.Lifecycle = types.StringValue(client.LifecycleName(out.GetRegion().GetLifecycle()))
		}
		return err
	})
	if status.Code(err) == codes.NotFound {
		m.Lifecycle = types.StringValue(client.LifecycleName(pb.RegionLifecycle_REGION_LIFECYCLE_REMOVED))
		return true
	}
	if err != nil {
		errorf(diags, err, "drain region %s", id)
		return false
	}
	timeout, _ := parseTimeout(m.DrainTimeout.ValueString())
	_, err = r.client.Wait(ctx, "waiting for region "+id+" to leave the placement", timeout,
		func(st *pb.GetStatusResponse) client.Progress { return client.OutOfRotationProgress(st, id) },
		func(reason string) { tflog.Info(ctx, reason, map[string]any{"region": id}) })
	if err != nil {
		diags.AddError("Region "+id+" is still routed", err.Error())
		return false
	}
	return true
}

func (r *regionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	m, ok := r.model(ctx, req.State.Get, &resp.Diagnostics)
	if !ok {
		return
	}
	id := m.ID.ValueString()
	reg, ok := r.current(ctx, id, "read", &resp.Diagnostics)
	if !ok {
		return
	}
	if reg == nil {
		tflog.Info(ctx, "region is no longer registered; removing it from state", map[string]any{"region": id})
		resp.State.RemoveResource(ctx)
		return
	}
	m.Priority = types.Int64Value(int64(reg.GetPriority()))
	edge, d := edgeValue(reg.GetEdge())
	resp.Diagnostics.Append(d...)
	m.Edge = edge
	m.Lifecycle = types.StringValue(client.LifecycleName(reg.GetLifecycle()))
	m.InRotation = types.BoolValue(reg.GetLifecycle() != pb.RegionLifecycle_REGION_LIFECYCLE_DRAINING)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *regionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, ok := r.model(ctx, req.Plan.Get, &resp.Diagnostics)
	if !ok {
		return
	}
	prior, ok := r.model(ctx, req.State.Get, &resp.Diagnostics)
	if !ok {
		return
	}
	id := plan.ID.ValueString()
	plan.Lifecycle = prior.Lifecycle
	if !plan.Priority.Equal(prior.Priority) || !plan.Edge.Equal(prior.Edge) {
		if !r.registerRegion(ctx, &plan, &resp.Diagnostics) {
			return
		}
	}
	switch want, was := plan.InRotation.ValueBool(), prior.InRotation.ValueBool(); {
	case want && !was:
		err := r.client.Mutate(ctx, "cancel the drain of region "+id, func(ctx context.Context, a pb.AdminServiceClient) error {
			out, err := a.CancelDrain(ctx, &pb.CancelDrainRequest{Id: id, Reason: plan.Reason.ValueString()})
			if err == nil {
				plan.Lifecycle = types.StringValue(client.LifecycleName(out.GetRegion().GetLifecycle()))
			}
			return err
		})
		if err != nil {
			errorf(&resp.Diagnostics, err, "cancel the drain of region %s", id)
			return
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		if plan.WaitForStandby.ValueBool() {
			r.waitStandby(ctx, &plan, &resp.Diagnostics)
		}
	case !want && was:
		if !r.drain(ctx, &plan, &resp.Diagnostics) {
			return
		}
	}
	if plan.Lifecycle.IsUnknown() || plan.Lifecycle.IsNull() {
		plan.Lifecycle = types.StringValue("")
		if reg, _ := r.current(ctx, id, "read", &diag.Diagnostics{}); reg != nil {
			plan.Lifecycle = types.StringValue(client.LifecycleName(reg.GetLifecycle()))
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *regionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	m, ok := r.model(ctx, req.State.Get, &resp.Diagnostics)
	if !ok {
		return
	}
	id := m.ID.ValueString()
	// Drain (idempotent; NOT_FOUND: already gone), wait until nothing routes to it, deregister
	// (idempotent). A destroy re-run after any partial failure walks the same steps and converges.
	if !r.drain(ctx, &m, &resp.Diagnostics) {
		return
	}
	err := r.client.Mutate(ctx, "deregister region "+id, func(ctx context.Context, a pb.AdminServiceClient) error {
		_, err := a.DeregisterRegion(ctx, &pb.DeregisterRegionRequest{Id: id, Reason: m.Reason.ValueString()})
		return err
	})
	if err != nil {
		errorf(&resp.Diagnostics, err, "deregister region %s", id)
		return
	}
	tflog.Info(ctx, "region deregistered", map[string]any{"region": id})
}

func (r *regionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !regionID.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid region id", fmt.Sprintf("%q: import by the region's id, e.g. ap-south", req.ID))
		return
	}
	// What the server does not keep gets its default, so a config using the defaults plans no change.
	for name, v := range map[string]attr.Value{
		"id": types.StringValue(req.ID), "reason": types.StringValue(defaultReason), "wait_for_standby": types.BoolValue(true),
		"standby_timeout": types.StringValue(defaultStandbyTimeout), "drain_timeout": types.StringValue(defaultTimeout),
	} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
}
