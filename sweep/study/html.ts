/**
 * study.html from study.md: the Markdown this project writes (headings, paragraphs, "- " lists,
 * pipe tables, **bold**, `code`, <br> in cells, one image per line), with each image's SVG put
 * inline, so the page needs nothing but itself.
 */

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 78em; padding: 0 1em; color: #1d1d1d; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #c8c8c8; padding: 0.2em 0.55em; }
th { background: #f0f0f0; }
td.num, th.num { text-align: right; }
tr.study td { color: #666; font-style: italic; }
figure { margin: 1em 0; overflow-x: auto; }
code { background: #f4f4f4; padding: 0 0.2em; }
strong.v-holds { color: #0a7a2f; } strong.v-fails { color: #b3261e; } strong.v-unknown { color: #8a6d00; }
`;

function escape(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const VERDICT_CLASS: Readonly<Record<string, string>> = { holds: "v-holds", "does not hold": "v-fails", "cannot be judged": "v-unknown" };

function inline(text: string): string {
    return escape(text)
        .replace(/&lt;br&gt;/g, "<br>")
        .replace(/\\\|/g, "|")
        .replace(/`([^`]+)`/g, "<code>$1</code>")
        .replace(/\*\*([^*]+)\*\*/g, (_, bold: string) => `<strong${VERDICT_CLASS[bold] ? ` class="${VERDICT_CLASS[bold]}"` : ""}>${bold}</strong>`);
}

/** Cells of a pipe-table row; "\|" is a pipe inside a cell. */
function cells(line: string): string[] {
    return line.trim().replace(/^\|/, "").replace(/\|$/, "").split(/(?<!\\)\|/).map((c) => c.trim());
}

function table(lines: readonly string[]): string {
    const [header, rule, ...body] = lines;
    const right = cells(rule).map((r) => r.endsWith(":"));
    const cls = (i: number): string => (right[i] ? ' class="num"' : "");
    const head = `<tr>${cells(header).map((c, i) => `<th${cls(i)}>${inline(c)}</th>`).join("")}</tr>`;
    const rows = body.map((l) => {
        const cs = cells(l);
        return `<tr${cs[0]?.startsWith("↳") ? ' class="study"' : ""}>${cs.map((c, i) => `<td${cls(i)}>${inline(c)}</td>`).join("")}</tr>`;
    });
    return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>`;
}

/** One block (lines between blank lines) as HTML. */
function block(lines: readonly string[], svgs: ReadonlyMap<string, string>): string {
    const first = lines[0];
    const heading = /^(#{1,4}) (.*)$/.exec(first);
    const image = /^!\[([^\]]*)\]\(([^)]+)\)$/.exec(first);
    if (heading) {
        return `<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`;
    }
    if (image) {
        const svg = svgs.get(image[2]);
        if (svg === undefined) {
            throw new Error(`study.html: no SVG for the image ${image[2]}`);
        }
        return `<figure role="img" aria-label="${escape(image[1])}">\n${svg}\n<figcaption>${inline(image[1])}</figcaption>\n</figure>`;
    }
    if (first.startsWith("|")) {
        return table(lines);
    }
    if (first.startsWith("- ")) {
        return `<ul>\n${lines.map((l) => `<li>${inline(l.slice(2))}</li>`).join("\n")}\n</ul>`;
    }
    return `<p>${lines.map(inline).join("\n")}</p>`;
}

/** The whole page; `svgs` by the file names the Markdown's images point at. */
export function studyHtml(markdown: string, svgs: ReadonlyMap<string, string>): string {
    const blocks: string[][] = [[]];
    for (const line of markdown.split("\n")) {
        if (line.trim() === "") {
            blocks.push([]);
        } else {
            blocks[blocks.length - 1].push(line);
        }
    }
    const title = /^# (.*)$/m.exec(markdown)?.[1] ?? "icc-bench study";
    const body = blocks.filter((b) => b.length > 0).map((b) => block(b, svgs));
    return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escape(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body.join("\n")}\n</body>\n</html>\n`;
}
