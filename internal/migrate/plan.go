package migrate

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/lifetime"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/onekoformat"
	"github.com/oneko/oneko/internal/render"
	"github.com/oneko/oneko/internal/store"
)

// Action is what the migration does with one document.
type Action string

// The actions of a plan.
const (
	Create Action = "create" // the document is created
	Exists Action = "exists" // a document of that name is already in oneko: left as it is
	Skip   Action = "skip"   // the document cannot be created; its notes say why
)

// Item is one document of the plan.
type Item struct {
	Kind   string // docker registry, Helm registry, namespace, user, project, version
	Name   string
	Action Action
	// Attention lists what a person must do or know: a password to enter, a user whose
	// password is reset, a version that was deployed in O-Neko, why an item is skipped.
	Attention []string
	apply     func(ctx context.Context, m *migration) error
}

// Plan is what a migration will do, in the order it does it.
type Plan struct {
	Items []Item
}

// Counts returns how many items will be created, exist and need attention.
func (p *Plan) Counts() (create, exists, attention int) {
	for _, it := range p.Items {
		switch it.Action {
		case Create:
			create++
		case Exists:
			exists++
		}
		if len(it.Attention) > 0 {
			attention++
		}
	}
	return create, exists, attention
}

// Print writes the plan for a person: one line per item, then what needs attention.
func (p *Plan) Print(w io.Writer) {
	for _, it := range p.Items {
		fmt.Fprintf(w, "%-7s %-16s %s\n", it.Action, it.Kind, it.Name)
	}
	create, exists, attention := p.Counts()
	fmt.Fprintf(w, "\n%d to create, %d already exist, %d need attention.\n", create, exists, attention)
	if attention == 0 {
		return
	}
	fmt.Fprintf(w, "\nNeeds attention:\n")
	for _, it := range p.Items {
		for _, a := range it.Attention {
			fmt.Fprintf(w, "- %s %s: %s\n", it.Kind, it.Name, a)
		}
	}
}

// Options change how a plan is applied.
type Options struct {
	// Deployer, when set, asks for every version that was deployed in O-Neko to be
	// deployed once migrated (the --deploy flag); nil deploys nothing.
	Deployer *deploy.Requester
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// migration is the state of one Apply: the oneko ids of what O-Neko's documents became.
type migration struct {
	store    *store.Store
	opts     Options
	docker   map[string]string // O-Neko docker registry uuid → oneko id
	helm     map[string]string // Helm registry name → oneko id
	projects map[string]*model.Project
}

// actor names the migration in activities.
const actor = "oneko migrate"

// MakePlan compares the O-Neko installation with the oneko store. It writes nothing.
func MakePlan(ctx context.Context, in *Installation, st *store.Store) (*Plan, error) {
	pl := &planner{st: st, plan: &Plan{}, helmNames: map[string]bool{}, dockerNames: map[string]string{}}
	for _, step := range []func(context.Context, *Installation) error{pl.dockerRegistries, pl.helmRegistries, pl.namespaces, pl.users, pl.projects} {
		if err := step(ctx, in); err != nil {
			return nil, fmt.Errorf("plan the migration: %w", err)
		}
	}
	return pl.plan, nil
}

// Apply carries out the plan's creations in order. It stops at the first failure; what
// was created until then stays, and running the migration again completes it.
func Apply(ctx context.Context, p *Plan, st *store.Store, opts Options) error {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	m := &migration{store: st, opts: opts, docker: map[string]string{}, helm: map[string]string{}, projects: map[string]*model.Project{}}
	// Templates find their Helm registry by name among all of oneko's, not only O-Neko's.
	helms, _, err := st.ListHelmRegistries(ctx, store.Page{Limit: 500})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, h := range helms {
		m.helm[h.Name] = h.ID
	}
	for _, it := range p.Items {
		if it.apply == nil {
			continue
		}
		if err := it.apply(ctx, m); err != nil {
			return fmt.Errorf("migrate %s %s: %w", it.Kind, it.Name, err)
		}
	}
	return nil
}

// planner builds a plan.
type planner struct {
	st          *store.Store
	plan        *Plan
	dockerNames map[string]string // O-Neko uuid → registry name
	helmNames   map[string]bool   // Helm registries that exist or will exist
}

func (pl *planner) add(it Item) { pl.plan.Items = append(pl.plan.Items, it) }

func (pl *planner) dockerRegistries(ctx context.Context, in *Installation) error {
	existing, err := pl.st.AllDockerRegistries(ctx)
	if err != nil {
		return err
	}
	byName := map[string]model.DockerRegistry{}
	for _, r := range existing {
		byName[r.Name] = r
	}
	for _, o := range in.DockerRegistries {
		pl.dockerNames[o.UUID] = o.Name
		uuid := o.UUID
		if r, ok := byName[o.Name]; ok {
			pl.add(Item{Kind: "docker registry", Name: o.Name, Action: Exists, apply: func(_ context.Context, m *migration) error {
				m.docker[uuid] = r.ID
				return nil
			}})
			continue
		}
		r := model.DockerRegistry{Name: o.Name, URL: o.RegistryURL, Username: o.UserName, Insecure: o.TrustInsecureCertificate,
			WebhookFormat: model.WebhookAuto, PollInterval: model.Duration(model.DefaultPollInterval)}
		if !strings.Contains(r.URL, "://") {
			r.URL = "https://" + r.URL
		}
		if err := r.Validate(); err != nil {
			pl.add(Item{Kind: "docker registry", Name: o.Name, Action: Skip, Attention: []string{err.Error()}})
			delete(pl.dockerNames, o.UUID)
			continue
		}
		it := Item{Kind: "docker registry", Name: o.Name, Action: Create, apply: func(ctx context.Context, m *migration) error {
			r := r
			if err := m.store.CreateDockerRegistry(ctx, &r); err != nil {
				return err
			}
			m.docker[uuid] = r.ID
			return m.record(ctx, model.EntityDockerRegistry, r.ID, "Docker registry created", "registry %s at %s, migrated from O-Neko", r.Name, r.URL)
		}}
		if o.UserName != "" {
			it.Attention = append(it.Attention, fmt.Sprintf("O-Neko never returns passwords: enter the password of %q in oneko", o.UserName))
		}
		pl.add(it)
	}
	return nil
}

func (pl *planner) helmRegistries(ctx context.Context, in *Installation) error {
	existing, _, err := pl.st.ListHelmRegistries(ctx, store.Page{Limit: 500})
	if err != nil {
		return err
	}
	byName := map[string]model.HelmRegistry{}
	for _, r := range existing {
		byName[r.Name] = r
		pl.helmNames[r.Name] = true
	}
	for _, o := range in.HelmRegistries {
		if r, ok := byName[o.Name]; ok {
			pl.add(Item{Kind: "Helm registry", Name: o.Name, Action: Exists, apply: func(_ context.Context, m *migration) error {
				m.helm[r.Name] = r.ID
				return nil
			}})
			continue
		}
		r := model.HelmRegistry{Name: o.Name, URL: o.URL, Username: o.Username}
		if err := r.Validate(); err != nil {
			pl.add(Item{Kind: "Helm registry", Name: o.Name, Action: Skip, Attention: []string{err.Error()}})
			continue
		}
		pl.helmNames[o.Name] = true
		it := Item{Kind: "Helm registry", Name: o.Name, Action: Create, apply: func(ctx context.Context, m *migration) error {
			r := r
			if err := m.store.CreateHelmRegistry(ctx, &r); err != nil {
				return err
			}
			m.helm[r.Name] = r.ID
			return m.record(ctx, model.EntityHelmRegistry, r.ID, "Helm registry created", "registry %s at %s, migrated from O-Neko", r.Name, r.URL)
		}}
		if o.Username != "" {
			it.Attention = append(it.Attention, fmt.Sprintf("O-Neko never returns passwords: enter the password of %q in oneko", o.Username))
		}
		pl.add(it)
	}
	return nil
}

func (pl *planner) namespaces(ctx context.Context, in *Installation) error {
	for _, o := range in.Namespaces {
		kube, err := model.SanitizeNamespace(o.Name)
		if err != nil {
			pl.add(Item{Kind: "namespace", Name: o.Name, Action: Skip, Attention: []string{err.Error()}})
			continue
		}
		if _, err := pl.st.NamespaceByKubeName(ctx, kube); err == nil {
			pl.add(Item{Kind: "namespace", Name: o.Name, Action: Exists})
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		n := model.Namespace{Name: o.Name, KubeName: kube}
		pl.add(Item{Kind: "namespace", Name: o.Name, Action: Create, apply: func(ctx context.Context, m *migration) error {
			n := n
			if err := m.store.CreateNamespace(ctx, &n); err != nil {
				return err
			}
			return m.record(ctx, model.EntityNamespace, n.ID, "Namespace created", "namespace %s, migrated from O-Neko; created in the cluster at the first deploy into it", n.KubeName)
		}})
	}
	return nil
}

// users plans O-Neko's users. E-mail addresses are unique in oneko whatever their case, and
// usernames have no @: a user whose address another user (of oneko, or planned before it)
// has, or whose username has an @, is skipped with the reason.
func (pl *planner) users(ctx context.Context, in *Installation) error {
	planned := map[string]string{} // e-mail address in lower case → username
	for _, o := range in.Users {
		if _, err := pl.st.UserByUsername(ctx, o.Username); err == nil {
			pl.add(Item{Kind: "user", Name: o.Username, Action: Exists})
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		u := model.User{Username: o.Username, Email: o.Email, FirstName: o.FirstName, LastName: o.LastName, Role: model.Role(o.Role)}
		if o.Email != "" {
			other, err := pl.st.UserByEmail(ctx, o.Email)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if err == nil {
				pl.add(Item{Kind: "user", Name: o.Username, Action: Skip, Attention: []string{
					fmt.Sprintf("oneko user %q already has the e-mail address %s", other.Username, o.Email)}})
				continue
			}
			if name, ok := planned[strings.ToLower(o.Email)]; ok {
				pl.add(Item{Kind: "user", Name: o.Username, Action: Skip, Attention: []string{
					fmt.Sprintf("user %q of O-Neko has the same e-mail address %s (addresses are unique in oneko, whatever their case)", name, o.Email)}})
				continue
			}
		}
		if err := u.Validate(); err != nil {
			pl.add(Item{Kind: "user", Name: o.Username, Action: Skip, Attention: []string{err.Error()}})
			continue
		}
		if o.Email != "" {
			planned[strings.ToLower(o.Email)] = o.Username
		}
		pl.add(Item{Kind: "user", Name: o.Username, Action: Create,
			Attention: []string{"O-Neko never returns passwords: the user gets an unknown random password; an ADMIN sets a new one in oneko"},
			apply: func(ctx context.Context, m *migration) error {
				u := u
				hash, err := auth.HashPassword(randomPassword())
				if err != nil {
					return err
				}
				u.PasswordHash = hash
				if err := m.store.CreateUser(ctx, &u); err != nil {
					return err
				}
				return m.record(ctx, model.EntityUser, u.ID, "User created", "user %s with role %s, migrated from O-Neko", u.Username, u.Role)
			}})
	}
	return nil
}

// randomPassword returns a password nobody knows.
func randomPassword() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (pl *planner) projects(ctx context.Context, in *Installation) error {
	for _, o := range in.Projects {
		existing, err := pl.projectByName(ctx, o.Name)
		if err != nil {
			return err
		}
		if existing != nil {
			pl.add(Item{Kind: "project", Name: o.Name, Action: Exists, apply: func(_ context.Context, m *migration) error {
				m.projects[o.UUID] = existing
				return nil
			}})
			if err := pl.versions(ctx, o, existing); err != nil {
				return err
			}
			continue
		}
		it := Item{Kind: "project", Name: o.Name, Action: Create}
		uuid := ""
		if o.DockerRegistryUUID != nil {
			uuid = *o.DockerRegistryUUID
		}
		if _, ok := pl.dockerNames[uuid]; !ok {
			it.Action, it.Attention = Skip, []string{fmt.Sprintf("its docker registry %q was not migrated", uuid)}
		}
		// Validate with stand-in ids; the real ones are known when the registries exist.
		p, unmapped := onekoformat.Convert(o.ProjectFields, onekoformat.Mapping{DockerRegistryID: "pending", HelmRegistries: pl.helmStandIns()})
		for _, u := range unmapped {
			it.Action, it.Attention = Skip, append(it.Attention, u.Explain()+"; create it in oneko and run the migration again")
		}
		ns := ""
		if o.Namespace != nil && strings.TrimSpace(*o.Namespace) != "" {
			kube, err := model.SanitizeNamespace(*o.Namespace)
			if err != nil {
				it.Action, it.Attention = Skip, append(it.Attention, err.Error())
			}
			ns = kube
		}
		p.Namespace = ns
		if it.Action == Create {
			if err := p.Validate(render.Check); err != nil {
				it.Action, it.Attention = Skip, append(it.Attention, err.Error())
			}
		}
		if it.Action == Skip {
			if len(o.Versions) > 0 {
				it.Attention = append(it.Attention, fmt.Sprintf("its %d version(s) are not migrated either", len(o.Versions)))
			}
			pl.add(it)
			continue
		}
		fields := o.ProjectFields
		it.apply = func(ctx context.Context, m *migration) error {
			p, _ := onekoformat.Convert(fields, onekoformat.Mapping{DockerRegistryID: m.docker[uuid], HelmRegistries: m.helm})
			p.Namespace = ns
			for i := range p.DefaultConfigurationTemplates {
				p.DefaultConfigurationTemplates[i].ID = newID()
			}
			for i := range p.TemplateVariables {
				p.TemplateVariables[i].ID = newID()
			}
			if err := p.Validate(render.Check); err != nil {
				return err
			}
			if err := m.store.CreateProject(ctx, &p); err != nil {
				return err
			}
			m.projects[o.UUID] = &p
			return m.record(ctx, model.EntityProject, p.ID, "Project created", "project %s, migrated from O-Neko", p.Name)
		}
		pl.add(it)
		if err := pl.versions(ctx, o, nil); err != nil {
			return err
		}
	}
	return nil
}

// helmStandIns maps every Helm registry name that exists or will exist to a stand-in id.
func (pl *planner) helmStandIns() map[string]string {
	out := make(map[string]string, len(pl.helmNames))
	for name := range pl.helmNames {
		out[name] = "pending"
	}
	return out
}

// projectByName returns the oneko project of that name, or nil.
func (pl *planner) projectByName(ctx context.Context, name string) (*model.Project, error) {
	ps, _, err := pl.st.ListProjects(ctx, name, store.Page{Limit: 500})
	if err != nil {
		return nil, err
	}
	for k := range ps {
		if ps[k].Name == name {
			return &ps[k], nil
		}
	}
	return nil, nil
}

// versions plans the versions of one project; existing is nil when the project is new.
func (pl *planner) versions(ctx context.Context, o onekoformat.Project, existing *model.Project) error {
	for _, ov := range o.Versions {
		name := o.Name + "/" + ov.Name
		if existing != nil {
			if _, err := pl.st.GetVersionByTag(ctx, existing.ID, ov.Name); err == nil {
				pl.add(Item{Kind: "version", Name: name, Action: Exists})
				continue
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		it := Item{Kind: "version", Name: name, Action: Create}
		_, unmapped := onekoformat.ConvertTemplates(ov.ConfigurationTemplates, onekoformat.Mapping{HelmRegistries: pl.helmStandIns()})
		for _, u := range unmapped {
			it.Action, it.Attention = Skip, append(it.Attention, u.Explain()+"; create it in oneko and run the migration again")
		}
		deployed := ov.DesiredState == string(model.Deployed)
		if deployed && it.Action == Create {
			it.Attention = append(it.Attention, "deployed in O-Neko: not redeployed by the migration unless --deploy is given")
		}
		if it.Action == Skip {
			pl.add(it)
			continue
		}
		projectUUID, ov := o.UUID, ov
		it.apply = func(ctx context.Context, m *migration) error {
			p := m.projects[projectUUID]
			v := model.NewVersion(p, ov.Name, "", m.opts.Now())
			if ov.ImageUpdatedDate != nil {
				if t, err := time.Parse(time.RFC3339Nano, *ov.ImageUpdatedDate); err == nil {
					v.ImageUpdatedAt = t
				}
			}
			if ov.DeploymentBehaviour != "" {
				v.DeploymentBehaviour = model.DeploymentBehaviour(ov.DeploymentBehaviour)
			}
			for k, x := range ov.TemplateVariables {
				v.TemplateVariables[k] = x
			}
			v.URLTemplates = onekoformat.URLTemplates(ov.URLTemplates)
			v.ConfigurationTemplates, _ = onekoformat.ConvertTemplates(ov.ConfigurationTemplates, onekoformat.Mapping{HelmRegistries: m.helm})
			for i := range v.ConfigurationTemplates {
				v.ConfigurationTemplates[i].ID = newID()
			}
			l := onekoformat.ConvertLifetime(ov.LifetimeBehaviour, lifetime.Inherit)
			v.LifetimeBehaviour = &l
			if ov.Namespace != nil && strings.TrimSpace(*ov.Namespace) != "" {
				kube, err := model.SanitizeNamespace(*ov.Namespace)
				if err != nil {
					return err
				}
				v.Namespace = kube
			}
			v.Normalize()
			if err := v.Validate(p, render.Check); err != nil {
				return err
			}
			if err := m.store.CreateVersion(ctx, v); err != nil {
				return err
			}
			if deployed && m.opts.Deployer != nil {
				if _, err := m.opts.Deployer.RequestState(ctx, deploy.Request{Project: p, Version: v, State: model.Deployed, Actor: actor}); err != nil {
					return fmt.Errorf("deploy: %w", err)
				}
			}
			return nil
		}
		pl.add(it)
	}
	return nil
}

// record writes an activity, as the API does for each document it creates.
func (m *migration) record(ctx context.Context, entity, id, title, format string, args ...any) error {
	return m.store.AddActivity(ctx, &model.Activity{Time: m.opts.Now().UTC(), Priority: model.PriorityInfo, Title: title,
		Description: fmt.Sprintf(format, args...), Actor: actor, EntityType: entity, EntityID: id})
}

// newID returns a fresh id for a template or variable, as the API gives them.
func newID() string { return store.NewID() }
