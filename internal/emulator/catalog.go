package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/apidoc"
)

// Catalog is what the emulator serves. Its JSON form is the file format of
// hwc-emulator's -catalog flag: {"images": [...], "market_images": [...]},
// each element an object as the API returns it, with optional hidden
// "emulator:whole_image" (bool), "emulator:flavors" ([]string) and
// "emulator:member_status" fields for the filters the response does not show.
type Catalog struct {
	Images       []Image `json:"images"`
	MarketImages []Image `json:"market_images"`
}

// LoadCatalog reads a catalog file. It rejects unknown keys and values of
// the wrong kind, naming the path of the bad field, so that a typo does not
// quietly serve an empty or different catalog.
func LoadCatalog(path string) (*Catalog, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	var c Catalog
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w (a catalog is {\"images\": [...], \"market_images\": [...]})", path, err)
	}
	for i, img := range c.Images {
		if err := checkImage(img, imageFieldKinds, "id"); err != nil {
			return nil, fmt.Errorf("%s: images[%d].%w", path, i, err)
		}
	}
	for i, img := range c.MarketImages {
		if err := checkImage(img, marketFieldKinds, "image_id"); err != nil {
			return nil, fmt.Errorf("%s: market_images[%d].%w", path, i, err)
		}
	}
	return &c, nil
}

// fieldKind is what a catalog field may hold.
type fieldKind int

const (
	fieldText   fieldKind = iota // a string
	fieldTime                    // an RFC 3339 time
	fieldBool                    // a boolean, or "true"/"false" in any letter case
	fieldNumber                  // a number, or a string holding one
	fieldList                    // a list of strings
)

// imageFieldKinds are the fields of an IMS image, with the hidden ones.
var imageFieldKinds = kindsOf(apidoc.IMSImage, map[string]fieldKind{
	hiddenPrefix + "whole_image": fieldBool, hiddenPrefix + "flavors": fieldList, hiddenPrefix + "member_status": fieldText,
})

// marketFieldKinds are the fields of a KooGallery image.
var marketFieldKinds = kindsOf(apidoc.MarketImage, nil)

// kindsOf is what a catalog file may hold in each documented field: the
// document's type, read leniently (a number may come as a string, a boolean
// in any letter case), so that a catalog can also play a server that strays
// from the document.
func kindsOf(rules []apidoc.Rule, hidden map[string]fieldKind) map[string]fieldKind {
	read := map[apidoc.Kind]fieldKind{
		apidoc.Text: fieldText, apidoc.Time: fieldTime, apidoc.Bool: fieldBool, apidoc.BoolText: fieldBool,
		apidoc.Int: fieldNumber, apidoc.IntText: fieldNumber, apidoc.TextList: fieldList,
	}
	kinds := map[string]fieldKind{}
	for _, r := range rules {
		kinds[r.Name] = read[r.Kind]
	}
	for k, v := range hidden {
		kinds[k] = v
	}
	return kinds
}

// checkImage checks every field of one catalog image and that it has its
// id; the error starts with the field's name.
func checkImage(img Image, kinds map[string]fieldKind, idField string) error {
	if img.str(idField) == "" {
		return fmt.Errorf("%s: missing; every image needs one", idField)
	}
	keys := make([]string, 0, len(img))
	for k := range img {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		kind, ok := kinds[k]
		if !ok {
			return fmt.Errorf("%s: not a field of this API", k)
		}
		if v := img[k]; v != nil && !kind.accepts(v) {
			return fmt.Errorf("%s: %s is not %s", k, shortJSON(v), kind)
		}
	}
	return nil
}

func (k fieldKind) accepts(v any) bool {
	s, isString := v.(string)
	switch k {
	case fieldText:
		return isString
	case fieldTime:
		_, err := time.Parse(time.RFC3339, s)
		return isString && (s == "" || err == nil)
	case fieldBool:
		_, isBool := v.(bool)
		return isBool || isString && (s == "" || strings.EqualFold(s, "true") || strings.EqualFold(s, "false"))
	case fieldNumber:
		_, isNumber := v.(json.Number)
		_, err := strconv.ParseFloat(s, 64)
		return isNumber || isString && (s == "" || err == nil)
	case fieldList:
		list, ok := v.([]any)
		for _, e := range list {
			if _, ok := e.(string); !ok {
				return false
			}
		}
		return ok
	}
	return false
}

func (k fieldKind) String() string {
	return [...]string{"a string", "an RFC 3339 time such as \"2025-01-01T00:00:00Z\"", "true or false",
		"a number", "a list of strings"}[k]
}

func shortJSON(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 60 {
		b = append(b[:57], "..."...)
	}
	return string(b)
}

// Well-known owners of the default catalog.
const (
	PublicOwner  = "1bed856811654c1cb661a6ca845ebc77" // Huawei Cloud's public images
	SharerOwner  = "5f0e7a2b9c3d4e1f8a6b7c2d9e0f1a3b" // an account that shares images with the caller
	SharerOwner2 = "9a8b7c6d5e4f40312a1b0c9d8e7f6a5b" // a second one, whose shared image is the newest
	MarketOwner  = "7c3e9a1b2d4f4e6a8b0c1d2e3f4a5b6c" // a KooGallery publisher
	catalogEpoch = "2025-06-01T00:00:00Z"             // newest creation time of the default catalog
)

var platformVersions = map[string][]string{
	"Windows":              {"Windows Server 2016 Standard", "Windows Server 2019 Datacenter", "Windows Server 2022 Datacenter"},
	"Ubuntu":               {"Ubuntu 18.04 server", "Ubuntu 20.04 server", "Ubuntu 22.04 server", "Ubuntu 24.04 server"},
	"Red Hat":              {"Red Hat Enterprise Linux 7.9", "Red Hat Enterprise Linux 8.8", "Red Hat Enterprise Linux 9.2"},
	"SUSE":                 {"SUSE Linux Enterprise Server 12 SP5", "SUSE Linux Enterprise Server 15 SP4"},
	"CentOS":               {"CentOS 7.6", "CentOS 7.9", "CentOS 8.2", "CentOS Stream 9"},
	"Debian":               {"Debian 10.0.0", "Debian 11.1.0", "Debian 12.0.0"},
	"OpenSUSE":             {"openSUSE 15.2", "openSUSE 15.5"},
	"Oracle Linux":         {"Oracle Linux 7.9", "Oracle Linux 8.6"},
	"Fedora":               {"Fedora 38", "Fedora 39", "Fedora 40"},
	"CoreOS":               {"CoreOS 2079.4.0", "Fedora CoreOS 39"},
	"EulerOS":              {"EulerOS 2.5", "EulerOS 2.9", "EulerOS 2.10"},
	"Huawei Cloud EulerOS": {"Huawei Cloud EulerOS 1.1", "Huawei Cloud EulerOS 2.0"},
	"Other":                {"Rocky Linux 8.8", "AlmaLinux 9.2", "openEuler 22.03"},
}

var (
	defaultCatalog     *Catalog
	defaultCatalogOnce sync.Once
)

// DefaultCatalog is the embedded catalog: over 1,000 IMS images across gold,
// private, shared and market images and every platform, and over 200
// KooGallery images. It is deterministic but for the few images published
// minutes before the process started. It is shared; callers must not modify
// it.
func DefaultCatalog() *Catalog {
	defaultCatalogOnce.Do(func() { defaultCatalog = GenerateCatalog(1, time.Now()) })
	return defaultCatalog
}

// Regions gives the account a project in each region, the first with
// projectID and the others with ids derived from their names, and a catalog
// of its own to each region but the first (which serves base, or the
// default catalog when base is nil).
func Regions(names []string, projectID string, base *Catalog) (map[string]string, map[string]*Catalog) {
	projects := map[string]string{}
	catalogs := map[string]*Catalog{}
	for i, name := range names {
		if i == 0 {
			projects[name] = projectID
			continue
		}
		sum := sha256.Sum256([]byte(name))
		projects[name] = hex.EncodeToString(sum[:16])
		if base == nil {
			catalogs[name] = GenerateCatalog(uint64(i+1), time.Now())
		}
	}
	return projects, catalogs
}

type gen struct {
	rnd   *rand.Rand
	epoch time.Time
	now   time.Time // no image is updated after it
	seq   int
}

// GenerateCatalog builds a catalog from seed; the same seed gives the same
// catalog, but for the images published minutes before now.
func GenerateCatalog(seed uint64, now time.Time) *Catalog {
	epoch, _ := time.Parse(time.RFC3339, catalogEpoch)
	g := &gen{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), epoch: epoch, now: now.UTC().Truncate(time.Second)} //nolint:gosec // a deterministic catalog, not a secret
	c := &Catalog{}
	for _, platform := range apidoc.Platforms {
		for _, version := range platformVersions[platform] {
			for _, arch := range []string{"x86", "arm"} {
				if platform == "Windows" && arch == "arm" {
					continue
				}
				for build := 0; build < 4; build++ {
					c.Images = append(c.Images, g.gold(platform, version, arch, build))
				}
			}
		}
	}
	for i := 0; i < 400; i++ {
		c.Images = append(c.Images, g.private(i))
	}
	for i := 0; i < 180; i++ {
		c.Images = append(c.Images, g.shared(i))
	}
	for i := 0; i < 160; i++ {
		img, market := g.market(i)
		c.Images = append(c.Images, img)
		c.MarketImages = append(c.MarketImages, market)
	}
	for i := 160; i < 240; i++ {
		_, market := g.market(i)
		c.MarketImages = append(c.MarketImages, market)
	}
	c.Images = append(c.Images, g.releaseFamilies(now)...)
	return c
}

// release is one point release of a family in the default catalog.
type release struct {
	Name    string
	Created time.Time
	Age     time.Duration // when set, the release was published this long before the catalog was built
}

// releaseFamilyList are the gold images on which creation order and version
// order disagree: a patch build of an older release (Ubuntu 22.04.5,
// EulerOS 2.9 SP13) is newer than the newest release, and the newest point
// release (Ubuntu 24.04.3) was published minutes ago.
var releaseFamilyList = []release{
	{Name: "Ubuntu 22.04.3 server 64bit", Created: time.Date(2024, 8, 10, 3, 0, 0, 0, time.UTC)},
	{Name: "Ubuntu 22.04.4 server 64bit", Created: time.Date(2024, 11, 20, 3, 0, 0, 0, time.UTC)},
	{Name: "Ubuntu 24.04.1 server 64bit", Created: time.Date(2024, 10, 5, 3, 0, 0, 0, time.UTC)},
	{Name: "Ubuntu 24.04.2 server 64bit", Created: time.Date(2025, 3, 1, 3, 0, 0, 0, time.UTC)},
	{Name: "Ubuntu 22.04.5 server 64bit", Created: time.Date(2025, 5, 28, 3, 0, 0, 0, time.UTC)},
	{Name: "Ubuntu 24.04.3 server 64bit", Age: 20 * time.Minute},
	{Name: "EulerOS 2.9 SP12 64bit", Created: time.Date(2024, 12, 2, 3, 0, 0, 0, time.UTC)},
	{Name: "EulerOS 2.10 SP1 64bit", Created: time.Date(2025, 2, 3, 3, 0, 0, 0, time.UTC)},
	{Name: "EulerOS 2.9 SP13 64bit", Created: time.Date(2025, 5, 30, 3, 0, 0, 0, time.UTC)},
	{Name: "EulerOS 2.10 SP2 64bit", Age: 2 * time.Hour},
}

// releaseFamilies builds the releaseFamilyList images, and two images shared
// by two accounts, the newest of which was shared minutes ago.
func (g *gen) releaseFamilies(now time.Time) []Image {
	var out []Image
	for _, r := range releaseFamilyList {
		created := r.Created
		if r.Age > 0 {
			created = now.Add(-r.Age).UTC().Truncate(time.Second)
		}
		platform, version := "Ubuntu", strings.TrimSuffix(r.Name, " 64bit")
		if strings.HasPrefix(r.Name, "EulerOS") {
			platform = "EulerOS"
		}
		img := g.base(r.Name, platform, version, "x86", created)
		img["visibility"] = "public"
		img["owner"] = PublicOwner
		img["protected"] = true
		img["__imagetype"] = "gold"
		img["__image_displayname"] = r.Name
		img["__support_kvm"] = "true"
		delete(img, "__support_xen")
		out = append(out, img)
	}
	for i, owner := range []string{SharerOwner, SharerOwner2} {
		created := now.Add(-time.Duration(48-47*i) * time.Hour).UTC().Truncate(time.Second)
		img := g.base("Ubuntu 24.04 server 64bit hardened", "Ubuntu", "Ubuntu 24.04 server", "x86", created)
		img["visibility"] = "shared"
		img["owner"] = owner
		img["protected"] = false
		img["__imagetype"] = "shared"
		img["emulator:member_status"] = "accepted"
		out = append(out, img)
	}
	return out
}

func (g *gen) uuid() string {
	g.seq++
	a, b := g.rnd.Uint64(), g.rnd.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", uint32(a>>32), uint16(a>>16), uint16(a)&0xfff, uint16(b>>48)&0x3fff|0x8000, b&0xffffffffffff)
}

func (g *gen) pick(options ...string) string { return options[g.rnd.IntN(len(options))] }

// boolText writes a boolean the way IMS does: a string.
func boolText(v bool) string { return strconv.FormatBool(v) }

// flag sets a support flag the way the document describes it: "true" when
// the image has the feature, and absent otherwise.
func flag(img Image, name string, has bool) {
	if has {
		img[name] = "true"
	} else {
		delete(img, name)
	}
}

// features are the advanced features of __os_feature_list. The document
// calls the field "a list (in JSON format)"; recorded answers of the cloud
// carry a JSON object of "true"/"false" flags with these names, as text.
var features = []string{"nic_hotplug", "disk_hotplug", "user_data", "ssh_key", "hostname_inject", "onekey_resetpasswd"}

// featureList is an __os_feature_list value as recorded answers write it:
// the first on of the features "true", the others "false". It takes no
// random draw, so that the catalog's ids stay those of earlier releases
// (users' tests name them).
func featureList(on int) string {
	flags := map[string]string{}
	for i, f := range features {
		flags[f] = boolText(i < on)
	}
	text, _ := json.Marshal(flags)
	return string(text)
}

// derivedUUID is a UUID derived from seed, without a random draw (see
// featureList).
func derivedUUID(seed string) string {
	h := sha256.Sum256([]byte(seed))
	return fmt.Sprintf("%x-%x-4%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])[:36]
}

func (g *gen) timeBefore(maxAge time.Duration) time.Time {
	return g.epoch.Add(-time.Duration(g.rnd.Int64N(int64(maxAge)))).Truncate(time.Second)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// osTypeAndBits draws an image's __os_type and __os_bit: one x86 image in
// twenty is 32-bit.
func (g *gen) osTypeAndBits(platform, arch string) (osType, bits string) {
	osType = "Linux"
	switch platform {
	case "Windows":
		osType = "Windows"
	case "Other":
		osType = g.pick("Linux", "Other")
	}
	bits = "64"
	if g.rnd.IntN(20) == 0 && arch == "x86" {
		bits = "32"
	}
	return osType, bits
}

// base fills the fields every image has.
func (g *gen) base(name, platform, osVersion, arch string, created time.Time) Image {
	id := g.uuid()
	active := created.Add(7 * time.Minute)
	updated := active.Add(time.Duration(g.rnd.IntN(72)) * time.Hour)
	if g.now.Before(updated) {
		updated = g.now
	}
	osType, bits := g.osTypeAndBits(platform, arch)
	img := Image{
		"id":                        id,
		"name":                      name,
		"status":                    "active",
		"file":                      "/v2/images/" + id + "/file",
		"self":                      "/v2/images/" + id,
		"schema":                    "/v2/schemas/image",
		"checksum":                  "d41d8cd98f00b204e9800998ecf8427e",
		"container_format":          "bare",
		"disk_format":               "zvhd2",
		"min_ram":                   []int{0, 1024, 2048, 4096}[g.rnd.IntN(4)],
		"min_disk":                  []int{10, 20, 40, 50, 100}[g.rnd.IntN(5)],
		"size":                      0,
		"virtual_size":              nil,
		"created_at":                stamp(created),
		"updated_at":                stamp(updated),
		"active_at":                 stamp(active),
		"tags":                      []string{},
		"__os_bit":                  bits,
		"__os_version":              osVersion + " " + bits + "bit",
		"__platform":                platform,
		"__os_type":                 osType,
		"__isregistered":            boolText(true),
		"__image_source_type":       "uds",
		"__lazyloading":             g.pick("true", "True", "true", "false", "False"),
		"__image_size":              strconv.FormatInt(int64(2+g.rnd.IntN(30))*1<<30+int64(g.rnd.IntN(1<<20)), 10),
		"__sequence_num":            "0",
		"__support_kvm":             "true",
		"__support_arm":             boolText(arch == "arm"),
		"__system_support_market":   g.rnd.IntN(4) == 0,
		"__is_offshelved":           boolText(false),
		"hw_firmware_type":          g.pick("bios", "uefi"),
		"hw_vif_multiqueue_enabled": boolText(g.rnd.IntN(2) == 0),
		"os_shutdown_timeout":       g.pick("60", "120", "300"),
		"virtual_env_type":          "FusionCompute",
		"enterprise_project_id":     "0",
		"emulator:flavors":          []string{},
	}
	if agents := g.pick("hss,ces", "hss", "ces", ""); agents != "" {
		img["__support_agent_list"] = agents
	}
	g.vary(img, arch)
	return img
}

// vary sets the fields that differ from image to image: architecture
// features and the optional support flags.
func (g *gen) vary(img Image, arch string) {
	if arch == "arm" {
		img["hw_firmware_type"] = "uefi"
		img["emulator:flavors"] = []string{"kc1.large.2", "kc1.xlarge.4", "kc2.2xlarge.4"}
	} else {
		img["__support_amd"] = boolText(g.rnd.IntN(3) == 0)
		img["emulator:flavors"] = []string{"s6.small.1", "s6.large.2", "c7.large.2", "c7.xlarge.4", "m7.large.8"}
	}
	// Recorded answers write "0" for an image without a memory cap.
	img["max_ram"] = "0"
	if g.rnd.IntN(2) == 0 {
		img["max_ram"] = strconv.Itoa([]int{65536, 131072, 524288}[g.rnd.IntN(3)])
	}
	if g.rnd.IntN(3) == 0 {
		flag(img, "__support_xen", g.rnd.IntN(2) == 0)
	}
	for _, f := range []string{"__support_largememory", "__support_diskintensive", "__support_highperformance"} {
		if g.rnd.IntN(3) == 0 {
			flag(img, f, g.rnd.IntN(2) == 0)
		}
	}
	if g.rnd.IntN(5) == 0 {
		flag(img, "__support_kvm_hi1822_hisriov", true)
	}
	if g.rnd.IntN(5) == 0 {
		flag(img, "__support_kvm_hi1822_hivirtionet", g.rnd.IntN(2) == 0)
	}
	if g.rnd.IntN(3) == 0 {
		img["__support_fc_inject"] = boolText(g.rnd.IntN(2) == 0)
	}
	if g.rnd.IntN(4) == 0 {
		img["__os_feature_list"] = featureList(2 + g.rnd.IntN(4))
	}
}

// gpu turns x86 images into GPU or HPC images now and then. Such images do
// not carry __support_kvm/__support_xen, which cannot co-exist with them.
func (g *gen) specialize(img Image, arch string) {
	if arch != "x86" || img.str("__os_type") == "Windows" {
		return
	}
	switch g.rnd.IntN(10) {
	case 0:
		delete(img, "__support_kvm")
		delete(img, "__support_xen")
		img["__support_kvm_gpu_type"] = g.pick("V100_vGPU", "T4", "A100")
		img["emulator:flavors"] = []string{"p2s.2xlarge.8", "pi2.2xlarge.4", "g6.xlarge.4"}
	case 1:
		delete(img, "__support_kvm")
		delete(img, "__support_xen")
		img["__support_xen_gpu_type"] = g.pick("M60_vGPU", "P100")
	case 2:
		delete(img, "__support_kvm")
		delete(img, "__support_xen")
		img["__support_xen_hana"] = "true"
	case 3:
		delete(img, "__support_xen")
		img["__support_kvm_infiniband"] = "true"
		img["emulator:flavors"] = []string{"h2.3xlarge.10", "hl1.8xlarge.8"}
	}
}

func (g *gen) gold(platform, version, arch string, build int) Image {
	created := g.epoch.Add(-time.Duration(build*90+g.rnd.IntN(60)) * 24 * time.Hour).Add(-time.Duration(g.rnd.IntN(86400)) * time.Second)
	name := version + " 64bit"
	if arch == "arm" {
		name += " for ARM"
	}
	if build > 0 {
		name += fmt.Sprintf(" (%s)", created.Format("20060102"))
	}
	img := g.base(name, platform, version, arch, created)
	img["visibility"] = "public"
	img["owner"] = PublicOwner
	img["protected"] = true
	img["__imagetype"] = "gold"
	img["__image_displayname"] = name
	img["__support_fc_inject"] = boolText(false)
	// The document leaves these empty for public images; IMS writes an
	// empty text as "" (recorded answers carry "__account_code": "").
	img["__originalimagename"] = ""
	img["__data_origin"] = ""
	img["__description"] = fmt.Sprintf("%s for %s, with Cloud-Init and the security updates of its build date", version, arch)
	if platform == "CoreOS" || platform == "Other" && g.rnd.IntN(2) == 0 {
		img["virtual_env_type"] = g.pick("FusionCompute", "Ironic")
	}
	g.specialize(img, arch)
	return img
}

var privateApps = []string{"webapp", "api-gateway", "batch-worker", "postgres-base", "nginx-edge", "build-agent", "kafka-node", "ml-train"}

func (g *gen) private(i int) Image {
	platform := apidoc.Platforms[1+g.rnd.IntN(len(apidoc.Platforms)-1)]
	versions := platformVersions[platform]
	version := versions[g.rnd.IntN(len(versions))]
	arch := "x86"
	if g.rnd.IntN(4) == 0 {
		arch = "arm"
	}
	app := privateApps[i%len(privateApps)]
	created := g.timeBefore(540 * 24 * time.Hour)
	name := fmt.Sprintf("%s-%d.%d.%d", app, 1+i%3, g.rnd.IntN(12), g.rnd.IntN(20))
	img := g.base(name, platform, version, arch, created)
	img["visibility"] = "private"
	img["owner"] = DefaultProjectID
	img["protected"] = false
	img["__imagetype"] = "private"
	img["__data_origin"] = g.pick("instance,"+g.uuid(), "file,obs://images/"+name+".qcow2", "image,"+g.uuid())
	switch origin := img.str("__data_origin"); {
	case strings.HasPrefix(origin, "file,"):
		img["__root_origin"] = "file" // and no parent image
	case strings.HasPrefix(origin, "image,"):
		img["__originalimagename"] = strings.TrimPrefix(origin, "image,")
	default:
		img["__originalimagename"] = g.uuid()
	}
	team := g.pick("platform", "data", "web")
	img["tags"] = []string{"app=" + app, "env=" + g.pick("prod", "staging", "dev"), "team=" + team}
	if g.rnd.IntN(2) == 0 {
		img["__description"] = fmt.Sprintf("%s image of the %s team, built on %s", app, team, version)
	}
	img["status"] = g.pick("active", "active", "active", "active", "active", "active", "queued", "saving", "killed", "deleted")
	if s := img.str("status"); s == "queued" || s == "saving" || s == "killed" {
		delete(img, "active_at") // never active
	}
	img["disk_format"] = g.pick("zvhd2", "zvhd2", "zvhd2", "vhd", "qcow2", "raw", "zvhd")
	img["enterprise_project_id"] = g.pick("0", "0", "9f2d1b3a-6c4e-4f8a-b2d0-3e5f7a9c1b2d", "4b8e2f1a-7d3c-4a9e-8f0b-1c2d3e4f5a6b")
	switch g.rnd.IntN(8) {
	case 0:
		img["virtual_env_type"] = "DataImage"
		img["__os_type"] = "Other"
	case 1:
		img["virtual_env_type"] = "IsoImage"
		img["disk_format"] = "iso"
	case 2:
		img["virtual_env_type"] = "Ironic"
	}
	if g.rnd.IntN(5) == 0 {
		img["emulator:whole_image"] = true
		img["__backup_id"] = g.uuid()
	}
	if g.rnd.IntN(6) == 0 {
		img["__system__cmkid"] = g.pick("83cdb52d-9ebf-4469-9cfa-e7b5b80da846", "2f9d8c7b-6a5e-4d3c-9b1a-0e9f8d7c6b5a")
	}
	g.specialize(img, arch)
	return img
}

func (g *gen) shared(i int) Image {
	platform := g.pick("Ubuntu", "CentOS", "Debian", "Huawei Cloud EulerOS", "Red Hat")
	versions := platformVersions[platform]
	version := versions[g.rnd.IntN(len(versions))]
	created := g.timeBefore(400 * 24 * time.Hour)
	name := fmt.Sprintf("partner-%s-%03d", strings.ToLower(strings.ReplaceAll(platform, " ", "-")), i)
	img := g.base(name, platform, version, "x86", created)
	img["visibility"] = "shared"
	img["owner"] = SharerOwner
	img["protected"] = false
	img["__imagetype"] = "shared"
	img["tags"] = []string{"shared-by=partner"}
	img["emulator:member_status"] = g.pick("accepted", "accepted", "accepted", "pending", "rejected")
	g.specialize(img, "x86")
	return img
}

var marketProducts = []string{"WordPress", "LAMP", "Docker CE", "GitLab CE", "Jenkins", "Magento", "Odoo", "Nextcloud", "Redis", "Elastic Stack"}

// market returns a KooGallery image as IMS lists it and as Workspace does.
func (g *gen) market(i int) (Image, Image) {
	platform := g.pick("Ubuntu", "CentOS", "Debian", "Huawei Cloud EulerOS", "Windows")
	versions := platformVersions[platform]
	version := versions[g.rnd.IntN(len(versions))]
	product := marketProducts[i%len(marketProducts)]
	created := g.timeBefore(700 * 24 * time.Hour)
	name := fmt.Sprintf("%s %d.%d on %s", product, 1+i%5, g.rnd.IntN(10), version)
	code := fmt.Sprintf("%08x%08x", g.rnd.Uint32(), g.rnd.Uint32())
	img := g.base(name, platform, version, "x86", created)
	img["visibility"] = "public"
	img["owner"] = MarketOwner
	img["protected"] = true
	img["__imagetype"] = "market"
	img["__productcode"] = code
	// As in recorded answers of KooGallery images: an empty charging
	// identifier or none, the parent image and its origin, "True"
	// lazy loading and the feature flags.
	if code[0] < '8' {
		img["__account_code"] = ""
	}
	parent := derivedUUID(img.str("id"))
	img["__originalimagename"] = parent
	img["__data_origin"] = "image," + DefaultRegion + "," + parent
	img["__lazyloading"] = "True"
	img["__os_feature_list"] = featureList(len(features))
	img["__is_offshelved"] = boolText(g.rnd.IntN(10) == 0)
	img["__system_support_market"] = true
	minDisk := []int{40, 50, 100}[g.rnd.IntN(3)]
	img["min_disk"] = minDisk
	market := Image{
		"image_id":                  img.str("id"),
		"name":                      name,
		"status":                    "active",
		"created_at":                img.str("created_at"),
		"updated_at":                img.str("updated_at"),
		"product_code":              code,
		"market_resource_type_code": "hws.resource.type.marketplace.image",
		"market_service_type_code":  "hws.service.type.marketplace",
		"os_type":                   img.str("__os_type"),
		"os_bit":                    img.str("__os_bit"),
		"os_version":                img.str("__os_version"),
		"platform":                  platform,
		"image_type":                g.pick("gold", "gold", "private", "shared"),
		"min_disk":                  minDisk,
		"min_ram":                   img["min_ram"],
		"image_size":                img.str("__image_size"),
		"tags":                      []string{"product=" + strings.ReplaceAll(strings.ToLower(product), " ", "-")},
	}
	if v, ok := img["max_ram"]; ok {
		market["max_ram"] = v
	}
	return img, market
}
