package demo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/imprintpub/imprint/internal/model"
	"github.com/imprintpub/imprint/internal/store"
)

// Options says what Generate makes.
type Options struct {
	// Count is how many publications to generate, at least 1.
	Count int
	// Seed chooses the catalogue: the same seed gives the same records.
	Seed uint64
	// Progress, when set, is called after each batch with how many
	// publications have been written so far.
	Progress func(done, total int)
}

// MaxGenerate bounds Options.Count: ten million publications are far past
// what any benchmark here needs, and a typo of a few more zeros should not
// fill the disk.
const MaxGenerate = 10_000_000

// generateBatch is how many publications one transaction writes: large
// enough that SQLite syncs the journal rarely, small enough that a reader
// of the same database is never kept waiting long.
const generateBatch = 500

// Generate adds Count realistic publications to st, with the demo's topic
// and region trees and a pool of about Count/50 contributors, for testing
// and benchmarking at scale. The catalogue is shaped like a think tank's:
// mostly commentary, op-eds and articles, fewer reports, podcasts and
// events, a few books; titles and summaries written from a policy
// vocabulary whose words follow a Zipf distribution, so that some words
// are in most publications and many in only a few; full text for about
// one publication in five; one to four contributors each, with role
// lines; dates over the 25 years 2001–2025, more in recent years.
// Every generated publication is published.
//
// The records depend only on Seed and the position of each publication:
// generating 1,000 and then 2,000 with the same seed gives the same first
// 1,000. A publication, person, topic or region whose slug already exists
// is left as it is and not counted, so running Generate again with the
// same options changes nothing. When st is a store.Transactor, the
// publications are written in batches, each in one transaction.
func Generate(ctx context.Context, st store.Store, opt Options) (Stats, error) {
	var stats Stats
	if opt.Count < 1 || opt.Count > MaxGenerate {
		return stats, fmt.Errorf("demo generate: count %d: want 1 to %d publications", opt.Count, MaxGenerate)
	}
	c, err := parseContent(contentJSON)
	if err != nil {
		return stats, err
	}
	g := newGenerator(opt.Seed, opt.Count)
	if err := g.ensureTerms(ctx, st, c, &stats); err != nil {
		return stats, err
	}
	if err := g.ensurePeople(ctx, st, &stats); err != nil {
		return stats, err
	}
	tx, _ := st.(store.Transactor)
	for start := 0; start < opt.Count; start += generateBatch {
		end := min(start+generateBatch, opt.Count)
		write := func(s store.Store) error {
			created := 0
			for i := start; i < end; i++ {
				if err := ctx.Err(); err != nil {
					return err
				}
				p := g.publication(i)
				_, err := s.PublicationBySlug(ctx, p.Slug)
				switch {
				case err == nil:
					continue
				case !errors.Is(err, store.ErrNotFound):
					return fmt.Errorf("demo generate: look up publication %q: %w", p.Slug, err)
				}
				if err := s.CreatePublication(ctx, p); err != nil {
					return fmt.Errorf("demo generate: publication %d (%q): %w", i+1, p.Slug, err)
				}
				created++
			}
			stats.Publications += created
			return nil
		}
		before := stats.Publications
		if tx != nil {
			err = tx.WithTx(ctx, func(s store.Store) error {
				// WithTx may run fn again after a deadlock: count
				// only the run that committed.
				stats.Publications = before
				return write(s)
			})
		} else {
			err = write(st)
		}
		if err != nil {
			stats.Publications = before
			return stats, err
		}
		if opt.Progress != nil {
			opt.Progress(end, opt.Count)
		}
	}
	return stats, nil
}

// generator makes the records of one seed. Each publication is drawn from
// its own random stream, seeded by the seed and its position, so that it
// does not depend on how many came before it.
type generator struct {
	seed    uint64
	people  []model.Person
	topics  []string // slugs, the demo tree's order
	regions []string
	// topicIDs and regionIDs hold the stored IDs of the slugs above.
	topicIDs, regionIDs map[string]int64
	// personIDs holds the stored ID of each person of the pool.
	personIDs []int64
}

func newGenerator(seed uint64, count int) *generator {
	g := &generator{seed: seed, topicIDs: map[string]int64{}, regionIDs: map[string]int64{}}
	n := max(12, count/50)
	r := rand.New(rand.NewPCG(seed, 0x5eed0001))
	used := map[string]int{}
	for i := range n {
		given := givenNames[r.IntN(len(givenNames))]
		family := familyNames[r.IntN(len(familyNames))]
		slug := model.Slugify(given + " " + family)
		used[slug]++
		if k := used[slug]; k > 1 {
			slug += "-" + strconv.Itoa(k)
		}
		place := places[placeKeys[r.IntN(len(placeKeys))]]
		subject := titleCase(nouns[r.IntN(40)])
		roleLine := pickString(r, []string{
			"Senior Fellow for " + place.name + " Studies",
			"Fellow for " + subject,
			"Adjunct Senior Fellow for " + subject,
			"Director, " + subject + " Program",
			"Visiting Scholar, " + place.name,
			"Research Associate",
			"Senior Fellow for " + subject,
			"Distinguished Fellow",
		})
		p := model.Person{Slug: slug, Given: given, Family: family, RoleLine: roleLine,
			Bio: fmt.Sprintf("%s %s writes on %s and %s, with a focus on %s.", given, family,
				nouns[r.IntN(60)], nouns[r.IntN(60)], place.name)}
		if i%97 == 13 {
			// A few contributors are organizations, which bylines show by
			// their literal name.
			p = model.Person{Slug: model.Slugify(family + " " + subject + " working group " + strconv.Itoa(i)),
				Literal: family + " Working Group on " + subject, RoleLine: "Study group"}
		}
		g.people = append(g.people, p)
	}
	return g
}

func (g *generator) ensureTerms(ctx context.Context, st store.Store, c *content, stats *Stats) error {
	for _, t := range c.Topics {
		created, err := ensure(ctx, "topic", t.Slug, func(ctx context.Context) error {
			got, err := st.TopicBySlug(ctx, t.Slug)
			if err == nil {
				g.topicIDs[t.Slug] = got.ID
			}
			return err
		}, func(ctx context.Context) error {
			m := &model.Topic{Slug: t.Slug, Name: t.Name, ParentID: g.topicIDs[t.Parent]}
			err := st.CreateTopic(ctx, m)
			g.topicIDs[t.Slug] = m.ID
			return err
		})
		if err != nil {
			return err
		}
		stats.Topics += created
		g.topics = append(g.topics, t.Slug)
	}
	for _, t := range c.Regions {
		created, err := ensure(ctx, "region", t.Slug, func(ctx context.Context) error {
			got, err := st.RegionBySlug(ctx, t.Slug)
			if err == nil {
				g.regionIDs[t.Slug] = got.ID
			}
			return err
		}, func(ctx context.Context) error {
			m := &model.Region{Slug: t.Slug, Name: t.Name, ParentID: g.regionIDs[t.Parent]}
			err := st.CreateRegion(ctx, m)
			g.regionIDs[t.Slug] = m.ID
			return err
		})
		if err != nil {
			return err
		}
		stats.Regions += created
		g.regions = append(g.regions, t.Slug)
	}
	return nil
}

func (g *generator) ensurePeople(ctx context.Context, st store.Store, stats *Stats) error {
	g.personIDs = make([]int64, len(g.people))
	for i := range g.people {
		p := g.people[i]
		created, err := ensure(ctx, "person", p.Slug, func(ctx context.Context) error {
			got, err := st.PersonBySlug(ctx, p.Slug)
			if err == nil {
				g.personIDs[i] = got.ID
			}
			return err
		}, func(ctx context.Context) error {
			err := st.CreatePerson(ctx, &p)
			g.personIDs[i] = p.ID
			return err
		})
		if err != nil {
			return err
		}
		stats.People += created
	}
	return nil
}

// typeShare is a publication type with its weight in the catalogue.
type typeShare struct {
	t      model.Type
	weight int
}

// typeShares are the proportions of a think tank's output: a steady
// stream of short commentary and op-eds, articles in journals and
// magazines, fewer reports and podcasts, events, and a book now and then.
var typeShares = []typeShare{
	{model.TypeCommentary, 24}, {model.TypeOpEd, 18}, {model.TypeArticleJournal, 11},
	{model.TypeArticleMagazine, 8}, {model.TypeReport, 12}, {model.TypePodcast, 9}, {model.TypeEvent, 8},
	{model.TypeVideo, 3}, {model.TypeChapter, 4}, {model.TypeBook, 2}, {model.TypeArticleNewspaper, 1},
}

var typeTotal = func() int {
	n := 0
	for _, s := range typeShares {
		n += s.weight
	}
	return n
}()

// draw picks words of a list by Zipf: the first few are in most texts,
// the last in very few.
type draw struct {
	r *rand.Rand
	z map[int]*rand.Zipf
}

func (d *draw) word(list []string) string {
	z := d.z[len(list)]
	if z == nil {
		z = rand.NewZipf(d.r, 1.25, 2, uint64(len(list)-1))
		d.z[len(list)] = z
	}
	return list[z.Uint64()]
}

func (d *draw) place() place {
	return places[d.word(placeKeys)]
}

// publication returns the i-th publication of the catalogue, its
// references by stored ID.
func (g *generator) publication(i int) *model.Publication {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)+1))
	d := &draw{r: r, z: map[int]*rand.Zipf{}}
	pick := r.IntN(typeTotal)
	var t model.Type
	for _, s := range typeShares {
		if pick < s.weight {
			t = s.t
			break
		}
		pick -= s.weight
	}
	pl := d.place()
	title := g.title(d, t, pl)
	p := &model.Publication{Type: t, Title: title, Status: model.StatusPublished}
	base := model.Slugify(title)
	if len(base) > 70 {
		base = strings.TrimRight(base[:70], "-")
	}
	p.Slug = fmt.Sprintf("%s-%d-%d", base, g.seed, i+1)

	// Dates over 2001–2025, each year about 8% busier than the last.
	year := 2001 + int(25*math.Pow(r.Float64(), 0.6))
	year = min(year, 2025)
	month, day := 1+r.IntN(12), 1+r.IntN(28)
	p.Issued = model.Date{Start: model.DatePart{Year: year, Month: month, Day: day}}
	p.PublishedAt = time.Date(year, time.Month(month), day, 9+r.IntN(8), r.IntN(60), 0, 0, time.UTC)

	sentences := 2 + r.IntN(3)
	var sum []string
	for range sentences {
		sum = append(sum, sentence(d, t, pl))
	}
	p.Summary = strings.Join(sum, " ")
	if (t == model.TypeReport || t == model.TypeArticleJournal || t == model.TypeBook || t == model.TypeChapter ||
		t == model.TypeCommentary) && r.IntN(100) < 45 {
		p.FullText = fullText(d, t, pl)
	}
	g.venue(r, d, p, year)
	g.contributors(r, p)

	nt := 1 + r.IntN(3)
	seen := map[string]bool{}
	for len(p.Topics) < nt {
		s := d.word(g.topics)
		if !seen[s] {
			seen[s] = true
			p.Topics = append(p.Topics, model.Topic{ID: g.topicIDs[s], Slug: s})
		}
	}
	nr := 0
	if r.IntN(100) < 85 {
		nr = 1 + r.IntN(2)
	}
	if pl.region != "" && nr > 0 {
		seen[pl.region] = true
		p.Regions = append(p.Regions, model.Region{ID: g.regionIDs[pl.region], Slug: pl.region})
	}
	for len(p.Regions) < nr {
		s := d.word(g.regions)
		if !seen[s] {
			seen[s] = true
			p.Regions = append(p.Regions, model.Region{ID: g.regionIDs[s], Slug: s})
		}
	}
	return p
}

func (g *generator) title(d *draw, t model.Type, pl place) string {
	r := d.r
	n1, n2 := titleCase(d.word(nouns)), titleCase(d.word(nouns))
	a := titleCase(d.word(adjectives))
	other := d.place().name
	var s string
	switch r.IntN(11) {
	case 0:
		s = a + " " + n1 + " in " + pl.name
	case 1:
		s = possessive(pl.name) + " " + a + " " + n1
	case 2:
		s = "The " + n1 + " of " + n2 + " in " + pl.name
	case 3:
		s = "Rethinking " + n1 + " in " + pl.name
	case 4:
		s = "How " + pl.name + " Can Strengthen " + n1
	case 5:
		s = pl.name + " and the Future of " + a + " " + n1
	case 6:
		s = "What " + possessive(pl.name) + " " + n1 + " Means for " + other
	case 7:
		s = n1 + ", " + n2 + ", and " + a + " " + d.word(pluralNouns)
	case 8:
		s = "Why " + n1 + " Matters for " + pl.name
	case 9:
		s = pl.name + ", " + other + ", and the " + a + " " + n1 + " Question"
	default:
		s = "The " + a + " " + n1 + " of " + pl.name
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	switch t {
	case model.TypePodcast:
		s = "Episode: " + s
	case model.TypeEvent:
		s = pickString(r, []string{"Panel: ", "Conference: ", "Roundtable: ", "Book Launch: "}) + s
	}
	return s
}

var sentenceTemplates = []string{
	"This {kind} examines how {adj} {noun} shapes {noun} in {place}.",
	"{Place} faces {adj} pressure on {noun} and {noun}, and its {noun} has yet to adjust.",
	"The {author} argues that {noun} and {noun} will define the next decade of {adj} {noun}.",
	"Drawing on interviews with officials in {place} and {other}, it assesses the {adj} costs of {noun}.",
	"It recommends {adj} {noun} to manage {noun} with {other}.",
	"Policymakers in {place} should treat {noun} as a question of {noun}, not only of {noun}.",
	"The {kind} traces the {adj} history of {noun} between {place} and {other}.",
	"Recent {plural} in {place} show why {noun} and {noun} can no longer be kept apart.",
	"{Place’s} approach to {noun} offers lessons for {adj} {noun} elsewhere.",
	"It weighs the case for {adj} {noun} against the risks of {noun}.",
	"The {author} compares {noun} in {place} with {noun} in {other} and finds {adj} {plural} in both.",
	"Without {adj} {noun}, the gains in {noun} may not last.",
}

// sentence writes one sentence of a summary or full text.
func sentence(d *draw, t model.Type, pl place) string {
	tpl := sentenceTemplates[d.r.IntN(len(sentenceTemplates))]
	var b strings.Builder
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			b.WriteString(tpl)
			break
		}
		b.WriteString(tpl[:i])
		j := strings.IndexByte(tpl[i:], '}')
		slot := tpl[i+1 : i+j]
		tpl = tpl[i+j+1:]
		switch slot {
		case "noun":
			b.WriteString(d.word(nouns))
		case "plural":
			b.WriteString(d.word(pluralNouns))
		case "adj":
			b.WriteString(d.word(adjectives))
		case "place", "Place":
			b.WriteString(pl.name)
		case "Place’s":
			b.WriteString(possessive(pl.name))
		case "other":
			b.WriteString(d.place().name)
		case "kind":
			b.WriteString(kindWord(t))
		case "author":
			b.WriteString(pickString(d.r, []string{"author", "report", "analysis", "essay"}))
		}
	}
	// A sentence may open with a place written lower-case ("the
	// Philippines").
	out := b.String()
	return strings.ToUpper(out[:1]) + out[1:]
}

// fullText writes a hosted full text in Markdown: headed sections of a
// few paragraphs, some six hundred words.
func fullText(d *draw, t model.Type, pl place) string {
	var b strings.Builder
	sections := 3 + d.r.IntN(3)
	for s := range sections {
		if s > 0 {
			b.WriteString("## " + titleCase(d.word(adjectives)) + " " + titleCase(d.word(nouns)) + "\n\n")
		}
		for p := range 2 + d.r.IntN(2) {
			if p > 0 {
				b.WriteString("\n\n")
			}
			for k := range 3 + d.r.IntN(3) {
				if k > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(sentence(d, t, pl))
			}
		}
		b.WriteString("\n\n")
	}
	return strings.TrimSpace(b.String())
}

func kindWord(t model.Type) string {
	switch t {
	case model.TypeReport:
		return "report"
	case model.TypeBook:
		return "book"
	case model.TypeChapter:
		return "chapter"
	case model.TypePodcast:
		return "episode"
	case model.TypeEvent:
		return "discussion"
	case model.TypeVideo:
		return "video"
	case model.TypeArticleJournal:
		return "article"
	}
	return "piece"
}

// venue fills where the publication appeared, as its type has it.
func (g *generator) venue(r *rand.Rand, d *draw, p *model.Publication, year int) {
	v := &p.Venue
	switch p.Type {
	case model.TypeArticleJournal:
		j := r.IntN(len(journals))
		v.ContainerTitle = journals[j]
		v.Volume = strconv.Itoa(year - 1990 + j%7)
		v.Issue = strconv.Itoa(1 + r.IntN(4))
		first := 1 + r.IntN(400)
		v.Pages = fmt.Sprintf("%d-%d", first, first+12+r.IntN(30))
		v.ISSN = fmt.Sprintf("%04d-%04d", 1000+j*37, 2000+j*53)
		p.DOI = fmt.Sprintf("10.5555/%s.%d.%d", model.Slugify(journals[j])[:3], year, 1000+r.IntN(9000))
	case model.TypeArticleMagazine:
		v.ContainerTitle = magazines[r.IntN(len(magazines))]
		v.Issue = strconv.Itoa(1 + r.IntN(12))
		p.URL = fmt.Sprintf("https://magazine.example.org/%d/%s", year, model.Slugify(p.Title))
	case model.TypeOpEd, model.TypeArticleNewspaper:
		v.ContainerTitle = newspapers[r.IntN(len(newspapers))]
		p.URL = fmt.Sprintf("https://news.example.com/opinion/%d/%s", year, model.Slugify(p.Title))
	case model.TypeReport:
		v.Publisher = institute
		v.Place = "Washington, DC"
		v.Number = fmt.Sprintf("%d-%02d", year, 1+r.IntN(40))
	case model.TypeBook:
		v.Publisher = presses[r.IntN(len(presses))]
		v.Place = pickString(r, []string{"New York", "Oxford", "Cambridge", "Washington, DC", "Stanford"})
		v.ISBN = fmt.Sprintf("978-0-%03d-%05d-%d", r.IntN(1000), r.IntN(100000), r.IntN(10))
	case model.TypeChapter:
		v.ContainerTitle = titleCase(d.word(adjectives)) + " " + titleCase(d.word(nouns)) + " in " + d.place().name
		v.Publisher = presses[r.IntN(len(presses))]
		first := 1 + r.IntN(300)
		v.Pages = fmt.Sprintf("%d-%d", first, first+15+r.IntN(25))
	case model.TypePodcast:
		v.ContainerTitle = pickString(r, []string{"The World This Week", "Policy Hour", "Asia Unpacked"})
		v.Number = strconv.Itoa(1 + (year-2001)*40 + r.IntN(40))
	case model.TypeEvent:
		v.Place = pickString(r, []string{"Washington, DC", "New York", "Tokyo", "Seoul", "Singapore", "Online"})
	case model.TypeVideo:
		v.Publisher = institute
	}
}

// contributors gives p one to four people of the pool, prolific ones more
// often, in the roles its type has.
func (g *generator) contributors(r *rand.Rand, p *model.Publication) {
	z := rand.NewZipf(r, 1.2, 8, uint64(len(g.people)-1))
	n := 1
	switch x := r.IntN(100); {
	case x >= 95:
		n = 4
	case x >= 85:
		n = 3
	case x >= 60:
		n = 2
	}
	seen := map[int]bool{}
	for len(p.Contributions) < n {
		k := int(z.Uint64())
		// The pool is ordered by when people were drawn: spread the
		// prolific ones over it rather than giving them the first slugs.
		k = (k*7919 + 11) % len(g.people)
		if seen[k] {
			if len(seen) == len(g.people) {
				break
			}
			continue
		}
		seen[k] = true
		role := model.RoleAuthor
		switch p.Type {
		case model.TypePodcast, model.TypeVideo:
			role = model.RoleGuest
			if len(p.Contributions) == 0 {
				role = model.RoleHost
			}
		case model.TypeEvent:
			role = model.RoleGuest
			if len(p.Contributions) == 0 {
				role = model.RoleModerator
			}
		case model.TypeBook:
			if n > 2 {
				role = model.RoleEditor
			}
		}
		p.Contributions = append(p.Contributions, model.Contribution{
			Person: model.Person{ID: g.personIDs[k], Slug: g.people[k].Slug}, Role: role})
	}
}

// possessive writes the possessive of a name: "Japan’s", "the
// Philippines’".
func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "’"
	}
	return name + "’s"
}

func pickString(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

// titleCase capitalizes each word of s but the short function words.
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if i > 0 && (w == "and" || w == "of" || w == "the" || w == "in" || w == "for") {
			continue
		}
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// institute publishes the generated reports.
const institute = "Imprint Institute for International Studies"

// place is a country or region the vocabulary names, with the demo
// region a publication about it is filed under ("" for none).
type place struct {
	name, region string
}

// placeKeys lists places most written about first; Zipf draws follow
// this order.
var placeKeys = []string{"china", "japan", "us", "korea", "india", "northkorea", "taiwan", "asia", "vietnam",
	"indonesia", "philippines", "australia", "europe", "russia", "asean", "pacific", "singapore", "thailand",
	"malaysia", "pakistan", "myanmar", "mongolia", "bangladesh", "srilanka", "cambodia", "nepal", "laos", "bhutan"}

var places = map[string]place{
	"china": {"China", "china"}, "japan": {"Japan", "japan"}, "us": {"the United States", "united-states"},
	"korea": {"South Korea", "south-korea"}, "india": {"India", "india"}, "northkorea": {"North Korea", "north-korea"},
	"taiwan": {"Taiwan", "east-asia"}, "asia": {"Asia", "asia"}, "vietnam": {"Vietnam", "southeast-asia"},
	"indonesia": {"Indonesia", "southeast-asia"}, "philippines": {"the Philippines", "southeast-asia"},
	"australia": {"Australia", ""}, "europe": {"Europe", ""}, "russia": {"Russia", ""},
	"asean": {"ASEAN", "southeast-asia"}, "pacific": {"the Pacific Islands", ""},
	"singapore": {"Singapore", "southeast-asia"}, "thailand": {"Thailand", "southeast-asia"},
	"malaysia": {"Malaysia", "southeast-asia"}, "pakistan": {"Pakistan", "south-asia"},
	"myanmar": {"Myanmar", "southeast-asia"}, "mongolia": {"Mongolia", "east-asia"},
	"bangladesh": {"Bangladesh", "south-asia"}, "srilanka": {"Sri Lanka", "south-asia"},
	"cambodia": {"Cambodia", "southeast-asia"}, "nepal": {"Nepal", "south-asia"}, "laos": {"Laos", "southeast-asia"},
	"bhutan": {"Bhutan", "south-asia"},
}

// nouns are the policy vocabulary, most frequent first: Zipf draws make
// the first few appear in most summaries and the last in a handful.
var nouns = []string{"policy", "security", "trade", "strategy", "economy", "defense", "alliance", "diplomacy",
	"competition", "growth", "energy", "technology", "cooperation", "deterrence", "investment", "governance",
	"sanctions", "reform", "stability", "development", "infrastructure", "climate", "leadership", "influence",
	"migration", "regulation", "finance", "supply chains", "elections", "institutions", "nuclear deterrence",
	"maritime security", "inflation", "debt", "industrial policy", "export controls", "public health",
	"cybersecurity", "innovation", "manufacturing", "semiconductors", "shipping", "agriculture", "food security",
	"human rights", "democracy", "corruption", "labor", "education", "urbanization", "water", "fisheries",
	"tariffs", "currency", "banking", "taxation", "pensions", "demography", "aging", "nationalism", "intelligence",
	"arms control", "missile defense", "peacekeeping", "humanitarian aid", "refugees", "borders", "ports",
	"railways", "telecommunications", "artificial intelligence", "space", "critical minerals", "rare earths",
	"oil", "natural gas", "coal", "nuclear power", "renewables", "carbon pricing", "adaptation", "disaster relief",
	"pandemics", "vaccines", "biosecurity", "propaganda", "disinformation", "media freedom", "civil society",
	"judicial reform", "decentralization", "federalism", "coalition politics", "party systems", "succession",
	"civil-military relations", "conscription", "procurement", "shipbuilding", "submarines", "airpower",
	"hypersonic weapons", "counterterrorism", "insurgency", "piracy", "smuggling", "remittances", "tourism",
	"students", "diaspora", "soft power", "cultural exchange", "sovereignty", "territorial disputes",
	"fishing rights", "undersea cables", "data governance", "privacy", "antitrust", "state enterprises",
	"subsidies", "productivity", "wages", "housing", "land reform", "microfinance", "connectivity",
	"multilateralism", "summitry", "mediation", "reconciliation", "historical memory", "apologies",
	"abductions", "reunification", "denuclearization", "verification", "enrichment", "proliferation"}

// pluralNouns fill the slots that want a plural.
var pluralNouns = []string{"tensions", "reforms", "elections", "agreements", "negotiations", "protests",
	"partnerships", "exercises", "summits", "disputes", "shortages", "investments", "tariffs", "sanctions",
	"talks", "crises", "alliances", "markets", "institutions", "coalitions", "budgets", "incentives",
	"precedents", "trade-offs", "frictions", "concessions", "guarantees", "dividends"}

// adjectives, most frequent first.
var adjectives = []string{"regional", "economic", "strategic", "global", "domestic", "military", "political",
	"new", "long-term", "bilateral", "emerging", "fragile", "maritime", "nuclear", "digital", "democratic",
	"competitive", "multilateral", "fiscal", "monetary", "industrial", "diplomatic", "coercive", "resilient",
	"uneven", "contested", "shifting", "hidden", "rising", "declining", "durable", "sustainable", "inclusive",
	"pragmatic", "ambitious", "cautious", "uncertain", "overlooked", "unfinished", "quiet", "costly",
	"effective", "credible", "open", "green", "rural", "urban", "informal", "transnational", "postwar",
	"historic", "unprecedented", "incremental", "asymmetric", "integrated", "autonomous", "defensive"}

var journals = []string{"Asian Security Review", "Journal of Pacific Affairs", "International Economics Quarterly",
	"Strategic Studies Journal", "Review of East Asian Politics", "Global Governance Review", "Journal of Maritime Policy",
	"Energy Policy Studies"}

var magazines = []string{"Foreign Affairs Monthly", "The Policy Review", "World Politics Today", "The Diplomat's Digest"}

var newspapers = []string{"The Daily Ledger", "Pacific Herald", "The Morning Standard", "Capital Times", "Asia Post",
	"The Financial Observer"}

var presses = []string{"Columbia University Press", "Oxford University Press", "Cambridge University Press",
	"Stanford University Press", "Brookings Institution Press", "Routledge"}

// givenNames and familyNames make the people of the pool: common names of
// the places the catalogue covers and beyond.
var givenNames = []string{"Sheila", "James", "Mira", "David", "Priya", "Thomas", "Kenji", "Yuki", "Min-jun",
	"Ji-woo", "Wei", "Li", "Arjun", "Ananya", "Elena", "Marco", "Sophie", "Lucas", "Amara", "Kwame", "Fatima",
	"Omar", "Hiroshi", "Sakura", "Nguyen", "Linh", "Siti", "Budi", "Maria", "José", "Anna", "Pieter", "Ingrid",
	"Lars", "Chloé", "Rafael", "Aisha", "Daniel", "Rachel", "Michael", "Sarah", "Robert", "Emily", "John",
	"Laura", "Peter", "Hannah", "Rahul", "Meera", "Tomasz", "Olga", "Dmitri", "Natalia", "Chen", "Hui",
	"Takeshi", "Aiko", "Seo-yeon", "Dong-hyun", "Raj", "Sunita", "Ahmed", "Leila", "Carlos", "Isabel"}

var familyNames = []string{"Smith", "Lindsay", "Kwon", "Hallett", "Raman", "Berg", "Tanaka", "Suzuki", "Kim",
	"Park", "Lee", "Wang", "Zhang", "Liu", "Chen", "Sharma", "Patel", "Gupta", "Rossi", "Müller", "Dubois",
	"Martin", "Okafor", "Mensah", "Haddad", "Khan", "Sato", "Watanabe", "Tran", "Pham", "Santoso", "Wijaya",
	"García", "Fernández", "Kowalski", "Novak", "Ivanova", "Petrov", "Andersson", "Jensen", "Nakamura",
	"Kobayashi", "Choi", "Jung", "Huang", "Zhao", "Iyer", "Reddy", "Bianchi", "Schmidt", "Fischer", "Moreau",
	"Laurent", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
	"Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "Allen",
	"O'Brien", "McMahon", "Nguyen", "Yamamoto", "Ito", "Hashimoto", "Yoshida", "Matsumoto", "Inoue"}
