package web

// cslJSONType is the media type of CSL-JSON. The publication's CSL-JSON
// record, GET /publications/{slug}.json, is one of the downloads of
// publication_record.go.
const cslJSONType = "application/vnd.citationstyles.csl+json"
