package csl
import ("testing";"os";"fmt")
func TestDbg(t *testing.T){
	data,_:=os.ReadFile("/work/shared/csl/styles/apa.csl")
	st,err:=ParseStyle(data); if err!=nil{t.Fatal(err)}
	p,err:=NewProcessor(st, Options{LoadLocale: testLocaleLoader}); if err!=nil{t.Fatal(err)}
	items,_:=ParseItems([]byte(`[{"id":"a","type":"paper-conference","title":"T","container-title":"C","editor":[{"family":"M","given":"A"}],"page":"55-66","publisher":"NH"}]`))
	d,_:=p.newDoc(items); d.prepare()
	c:=d.newCtx(d.items[0],nil,true)
	for _,m:=range []string{"source-monographic-author", "source-monographic-identifier"}{
		o:=c.evalKids(st.macros[m].kids,nil,"")
		fmt.Printf("%s => %q\n", m, o.plain())
	}
}
