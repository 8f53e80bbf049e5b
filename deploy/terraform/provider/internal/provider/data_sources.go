package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dialtone-dev/terraform-provider-dialtone/internal/client"
	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
)

// NewStatusDataSource is dialtone_status.
func NewStatusDataSource() datasource.DataSource { return &statusDataSource{} }

// NewRegionsDataSource is dialtone_regions.
func NewRegionsDataSource() datasource.DataSource { return &regionsDataSource{} }

type statusDataSource struct{ client *client.Client }
type regionsDataSource struct{ client *client.Client }

func configureDataSource(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *client.Client {
	c, problem := configured(req.ProviderData)
	if problem != "" {
		resp.Diagnostics.AddError("Dialtone provider", problem)
	}
	return c
}

func (d *statusDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureDataSource(req, resp)
}

func (d *regionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureDataSource(req, resp)
}

func (d *statusDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_status"
}

func (d *regionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_regions"
}

var regionHealthTypes = map[string]attr.Type{
	"id": types.StringType, "priority": types.Int64Type, "lifecycle": types.StringType,
	"health": types.StringType, "ready": types.BoolType, "reason": types.StringType,
}

var regionEdgeTypes = map[string]attr.Type{
	"id": types.StringType, "priority": types.Int64Type, "lifecycle": types.StringType,
	"edge": types.ObjectType{AttrTypes: edgeTypes},
}

func (d *statusDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	resp.Schema = schema.Schema{
		Description: "The control plane as its leader sees it (any replica's view when no leader answers).",
		Attributes: map[string]schema.Attribute{
			"deployment":             str("The deployment's name."),
			"replica_id":             str("The replica that answered."),
			"leader_id":              str("The leader's replica id; empty when none is known."),
			"epoch":                  schema.Int64Attribute{Computed: true, Description: "The current leadership epoch."},
			"mode":                   str("AUTO, MANUAL or FROZEN."),
			"active_region":          str("The region taking traffic; empty in outage mode."),
			"standby_regions":        schema.ListAttribute{Computed: true, ElementType: types.StringType, Description: "Standbys in fallback order."},
			"outage_mode":            schema.BoolAttribute{Computed: true, Description: "Whether calls go to fallback destinations because no region is healthy."},
			"coordination_connected": schema.BoolAttribute{Computed: true, Description: "Whether the answering replica is connected to ZooKeeper."},
			"recommend_only":         schema.BoolAttribute{Computed: true, Description: "Whether the replica only recommends (drives no actuator)."},
			"regions": schema.ListNestedAttribute{
				Computed: true, Description: "Every region, by priority.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":        str("The region's id."),
					"priority":  schema.Int64Attribute{Computed: true, Description: "Lower is preferred."},
					"lifecycle": str("PROVISIONING, STANDBY, ACTIVE, DRAINING or REMOVED."),
					"health":    str("UP, DEGRADED, DOWN or UNKNOWN (silent), as the leader judges it."),
					"ready":     schema.BoolAttribute{Computed: true, Description: "Whether the region is ready to take traffic."},
					"reason":    str("Why the region is where it is."),
				}},
			},
		},
	}
}

func (d *regionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	list := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{Computed: true, ElementType: types.StringType, Description: desc}
	}
	resp.Schema = schema.Schema{
		Description: "The deployment's registered regions (REMOVED ones left out) with their edges and lifecycle.",
		Attributes: map[string]schema.Attribute{
			"regions": schema.ListNestedAttribute{
				Computed: true, Description: "By priority.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":        schema.StringAttribute{Computed: true, Description: "The region's id."},
					"priority":  schema.Int64Attribute{Computed: true, Description: "Lower is preferred."},
					"lifecycle": schema.StringAttribute{Computed: true, Description: "PROVISIONING, STANDBY, ACTIVE or DRAINING."},
					"edge": schema.SingleNestedAttribute{Computed: true, Description: "Its public edge.", Attributes: map[string]schema.Attribute{
						"ipv4":    list("IPv4 addresses."),
						"ipv6":    list("IPv6 addresses."),
						"sip_uri": schema.StringAttribute{Computed: true, Description: "The SIP URI carriers send calls to."},
						"cname":   schema.StringAttribute{Computed: true, Description: "A canonical name, if any."},
					}},
				}},
			},
		},
	}
}

func leaderOrAny(ctx context.Context, c *client.Client) (*pb.GetStatusResponse, error) {
	if st, _, err := c.LeaderStatus(ctx); err == nil {
		return st, nil
	}
	return c.Status(ctx)
}

func stringList(ss []string) types.List {
	vs := make([]attr.Value, len(ss))
	for i, s := range ss {
		vs[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, vs)
}

func (d *statusDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.client == nil {
		resp.Diagnostics.AddError("Dialtone provider not configured", "The provider block's values are not known yet, or it was not configured.")
		return
	}
	st, err := leaderOrAny(ctx, d.client)
	if err != nil {
		errorf(&resp.Diagnostics, err, "read the deployment's status")
		return
	}
	regions := make([]attr.Value, 0, len(st.GetRegions()))
	var diags diag.Diagnostics
	for _, r := range st.GetRegions() {
		o, ds := types.ObjectValue(regionHealthTypes, map[string]attr.Value{
			"id": types.StringValue(r.GetId()), "priority": types.Int64Value(int64(r.GetPriority())),
			"lifecycle": types.StringValue(client.LifecycleName(r.GetLifecycle())), "health": types.StringValue(client.HealthName(r.GetHealth())),
			"ready": types.BoolValue(r.GetReady()), "reason": types.StringValue(r.GetReason()),
		})
		diags.Append(ds...)
		regions = append(regions, o)
	}
	list, ds := types.ListValue(types.ObjectType{AttrTypes: regionHealthTypes}, regions)
	diags.Append(ds...)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	p := st.GetPlacement()
	set := func(name string, v attr.Value) {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathOf(name), v)...)
	}
	set("deployment", types.StringValue(st.GetDeployment()))
	set("replica_id", types.StringValue(st.GetReplicaId()))
	set("leader_id", types.StringValue(st.GetLeaderId()))
	set("epoch", types.Int64Value(int64(st.GetEpoch())))
	set("mode", types.StringValue(client.ModeName(st.GetMode())))
	set("active_region", types.StringValue(p.GetActiveRegion()))
	set("standby_regions", stringList(p.GetStandbyRegions()))
	set("outage_mode", types.BoolValue(p.GetOutageMode()))
	set("coordination_connected", types.BoolValue(st.GetCoordinationConnected()))
	set("recommend_only", types.BoolValue(st.GetRecommendOnly()))
	set("regions", list)
}

func (d *regionsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.client == nil {
		resp.Diagnostics.AddError("Dialtone provider not configured", "The provider block's values are not known yet, or it was not configured.")
		return
	}
	st, err := d.client.Status(ctx)
	if err != nil {
		errorf(&resp.Diagnostics, err, "list the deployment's regions")
		return
	}
	var regions []attr.Value
	for _, r := range st.GetRegions() {
		if r.GetLifecycle() == pb.RegionLifecycle_REGION_LIFECYCLE_REMOVED {
			continue
		}
		edge, ds := edgeValue(r.GetEdge())
		resp.Diagnostics.Append(ds...)
		o, ds := types.ObjectValue(regionEdgeTypes, map[string]attr.Value{
			"id": types.StringValue(r.GetId()), "priority": types.Int64Value(int64(r.GetPriority())),
			"lifecycle": types.StringValue(client.LifecycleName(r.GetLifecycle())), "edge": edge,
		})
		resp.Diagnostics.Append(ds...)
		regions = append(regions, o)
	}
	list, ds := types.ListValue(types.ObjectType{AttrTypes: regionEdgeTypes}, regions)
	resp.Diagnostics.Append(ds...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathOf("regions"), list)...)
}
