module github.com/imprintpub/imprint

go 1.26.8
