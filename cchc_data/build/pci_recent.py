"""PCI 2020–2024 from data/sources/indices/pci_2020_2024/pci_2020_2024.csv (one row per value per source).

One result per province and year: the value of the primary publisher's page (pcivietnam.vn: its ranking or index
table first, then its province profiles), else a government page, else the press; every other source's value is
named in the row's note, and a disagreement says so. 2020 is complete (VCCI's 63-province ranking table); 2021–2024
are partial (only what the pages print). From PCI 2023 VCCI publishes scores and ranks for the top 30 only: a
province outside them is "not published (top 30 only)", a publication rule stated in the edition and the row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from .indices import Page, Tables, add_web_source, results_row, score_row, web_source_id
from .units import UnitResolver, read_csv

PCI_FILE = ("indices", "pci_2020_2024", "pci_2020_2024.csv")

# The CSV's sub-index names (as pcivietnam.vn prints them since 2021) -> the component ids of PCI 2005–2019.
SUBINDEX_IDS = {
    "Gia nhập thị trường": "entry",
    "Tiếp cận đất đai": "land",
    "Tính minh bạch": "transparency",
    "Chi phí thời gian": "time",
    "Chi phí không chính thức": "informal",
    "Cạnh tranh bình đẳng": "bias",
    "Tính năng động": "proactive",
    "Chính sách hỗ trợ doanh nghiệp": "support",
    "Đào tạo lao động": "labor",
    "Thiết chế pháp lý": "legal",
}
# From the 2021 recalibration the business-support sub-index is printed under its new name (same component).
SUPPORT_2021 = ("Chính sách hỗ trợ doanh nghiệp", "Business support policy")
TOP30_FROM = 2023

LICENCE = "Quoted from a published page (facts, with attribution); credit “VCCI – PCI” for PCI figures"
LICENCE_VI = "Trích từ trang đã công bố (số liệu, có ghi nguồn); ghi nguồn “VCCI – PCI” cho số liệu PCI"
PAGE_NOTE = (
    "Transcribed as printed on the page (its text is kept with the project's sources)",
    "Chép đúng như in trên trang (nội dung trang được lưu cùng nguồn dữ liệu của dự án)",
)

# url -> the page: its title, the date it prints (none where it prints none) and whether the title is the
# headline as the page address spells it.
PAGES: dict[str, Page] = {
    "https://pcivietnam.vn/bang-xep-hang?cpi_cat_id=PCI_Score&region_id=0&year=2020": Page(
        "Bảng xếp hạng PCI 2020, 63 tỉnh, thành phố (pcivietnam.vn)"
    ),
    "https://www.pcivietnam.vn/bang-chi-so-cac-tinh-thanh-viet-nam": Page(
        "Bảng chỉ số PCI các tỉnh, thành Việt Nam (pcivietnam.vn; values of PCI 2021)"
    ),
    "http://qlqh.laocai.gov.vn/en/bai-viet/15431": Page(
        "Lao Cai ranks 2nd in the Northern mountainous region in terms of provincial competitiveness index"
    ),
    "https://baonghean.vn/provincial-competitiveness-index-pci-for-2022-released-and-nghe-ans-ranking-increases-by-7-places-post267904.html": Page(
        "Provincial Competitiveness Index (PCI) for 2022 released and Nghe An's ranking increases by 7 places",
        date(2023, 4, 11),
        title_from_address=True,
    ),
    "https://investinquangninh.vn/vi/pci": Page("PCI — investinquangninh.vn (Quảng Ninh investment portal)"),
    "https://lite.baomoi.com/top-5-dia-phuong-dan-dau-chi-so-canh-tranh-pci-truoc-khi-sap-nhap-c52164074.epi": Page(
        "Top 5 địa phương dẫn đầu chỉ số cạnh tranh PCI trước khi sáp nhập"
    ),
    "https://thoibaotaichinhvietnam.vn/hai-phong-tops-2024-pci-rankings-following-strong-business-environment-reform-efforts-176007.html": Page(
        "Hai Phong tops 2024 PCI rankings following strong business environment reform efforts", date(2025, 5, 8)
    ),
    "https://infographics.vn/interactive-nang-luc-canh-tranh-cua-63-dia-phuong-thay-doi-nhu-the-nao-trong-nam-2021/63834.vna": Page(
        "(Interactive) Năng lực cạnh tranh của 63 địa phương thay đổi như thế nào trong năm 2021?", date(2022, 5, 4)
    ),
    "https://baobackan.com.vn/kinh-te/doanh-nhan/": Page(
        "Chỉ số PCI của Bắc Kạn có bước tăng đột phá (Báo Bắc Kạn, Doanh nhân)"
    ),
    "https://english.baoquangninh.vn/quang-ninh-named-most-competitive-province-for-sixth-straight-year-3235339.html": Page(
        "Quang Ninh named most competitive province for sixth straight year", title_from_address=True
    ),
    "https://plo.vn/long-an-but-pha-manh-me-dung-thu-2-ve-chi-so-pci-2023-post789709.html": Page(
        "Long An bứt phá mạnh mẽ, đứng thứ 2 về Chỉ số PCI 2023", date(2024, 5, 9)
    ),
    "http://www.izabacninh.gov.vn/en/xem-tin-tuc/news-63/pci-bac-ninh-ranked-10th-out-of-63-provinces-7127.html": Page(
        "PCI Bac Ninh ranked 10th out of 63 provinces", date(2021, 4, 23)
    ),
    "https://vietbao.vn/bac-giang-strives-to-improve-business-attractiveness-in-the-provincial-competitiveness-index-488400.html": Page(
        "Bắc Giang strives to improve business attractiveness in the provincial competitiveness index", date(2024, 6, 6)
    ),
    "https://www.einpresswire.com/article/631751900/northwestern-provinces-face-challenges-in-improving-pci": Page(
        "Northwestern provinces face challenges in improving PCI", date(2023, 5, 4)
    ),
    "https://en.vietnamplus.vn/quang-ninh-maintains-top-place-in-pci-rankings-2021/227663.vnp": Page(
        "Quang Ninh maintains top place in PCI rankings 2021", title_from_address=True
    ),
    "https://nhonhoiip.com.vn/ja/binh-dinh-dung-thu-21-trong-danh-sach-30-tinh-thanh-pho-co-chat-luong-dieu-hanh-tot-nhat-trong-pci-2022/": Page(
        "Bình Định đứng thứ 21 trong danh sách 30 tỉnh, thành phố có chất lượng điều hành tốt nhất trong PCI 2022",
        title_from_address=True,
    ),
    "https://www.multiresearchjournal.com/arclist/list-2024.4.1/id-2353": Page(
        "Research article no. 2353 on Cao Bằng's PCI (multiresearchjournal.com, list 2024.4.1)"
    ),
    "https://nhandan.vn/tag/x%e1%ba%bfp+h%e1%ba%a1ng+pci.html": Page(
        "Tag “xếp hạng PCI” (nhandan.vn): “Hà Giang tăng 18 bậc trên bảng xếp hạng PCI”"
    ),
    "https://baoninhbinh.org.vn/ninh-binh-jumps-14-places-on-pci-rankings-2022/d2023041309059334.htm": Page(
        "Ninh Binh jumps 14 places on PCI rankings 2022", title_from_address=True
    ),
    "https://www.einpresswire.com/article/711126542/long-an-wins-pci-2023-runner-up-position": Page(
        "Long An wins PCI 2023 runner-up position", date(2024, 5, 13), title_from_address=True
    ),
    "https://baonghean.vn/nghe-an-to-chuc-hoi-thao-tim-giai-phap-cai-thien-pci-10277937.html": Page(
        "Nghệ An tổ chức hội thảo tìm giải pháp cải thiện PCI", title_from_address=True
    ),
    "https://reatimes.vn/pci-cua-thai-nguyen.html": Page("Chỉ số PCI của Thái Nguyên: Tăng nhưng chưa vững"),
    "https://en.vietstock.vn/2025/06/tra-vinh-province-makes-major-gains-in-pci-rankings-38-614375.htm": Page(
        "Tra Vinh province makes major gains in PCI rankings"
    ),
}
_PROFILE = re.compile(r"pcivietnam\.vn/(?:en/provinces|ho-so-tinh)/([a-z-]+)$")


def page_kind(url: str) -> int:
    """0 = VCCI's ranking/index table, 1 = VCCI's province profile, 2 = a government page, 3 = press/other."""
    host = urlparse(url).netloc
    if "pcivietnam.vn" in host:
        return 1 if _PROFILE.search(url) else 0
    if host.endswith(".gov.vn") or host == "investinquangninh.vn":
        return 2
    return 3


def add_page_source(t: Tables, url: str, province_vi: str | None = None) -> str:
    sid = web_source_id(url)
    if sid in t.sources:
        return sid
    if url in PAGES:
        page = PAGES[url]
    elif _PROFILE.search(url):
        page = Page(
            f"PCI of provinces: {province_vi} (pcivietnam.vn)"
            if "/en/" in url
            else f"Hồ sơ PCI tỉnh {province_vi} (pcivietnam.vn)"
        )
    else:
        raise ValueError(f"PCI: no title for {url}: add it to pci_recent.PAGES")
    return add_web_source(t, url, page, PAGE_NOTE, (LICENCE, LICENCE_VI))


def _num(text: str) -> float | None:
    return float(text) if text else None


def method_note(year: int, n_totals: int) -> tuple[str, str]:
    if year == 2020:
        en = (
            "Total = the weighted PCI (0–100). Scores and ranks as published by VCCI in its 2020 ranking table "
            "(pcivietnam.vn, all 63 provinces); sub-index scores only for the provinces whose profile page was read."
        )
        vi = (
            "Điểm tổng hợp = chỉ số PCI có trọng số (0–100). Điểm và thứ hạng theo bảng xếp hạng PCI 2020 của VCCI "
            "(pcivietnam.vn, đủ 63 tỉnh); điểm chỉ số thành phần chỉ có ở các tỉnh đã đọc trang hồ sơ."
        )
        return en, vi
    en = (
        f"Total = the weighted PCI (0–100). Partial: {n_totals} provinces with a printed score, only what VCCI's "
        "pages (pcivietnam.vn) and the press print; ranks as printed, none computed. Where sources differ the "
        "primary publisher's value is shown and the other is in the row's note."
    )
    vi = (
        f"Điểm tổng hợp = chỉ số PCI có trọng số (0–100). Một phần: {n_totals} tỉnh có điểm được in, chỉ những gì "
        "trang của VCCI (pcivietnam.vn) và báo chí đăng; thứ hạng như được in, không tính thêm. Khi các nguồn khác "
        "nhau, hiển thị giá trị của đơn vị công bố chính, giá trị khác ghi ở ghi chú của dòng."
    )
    if year == 2021:
        en += (
            " From the 2021 recalibration the sub-index “Dịch vụ hỗ trợ doanh nghiệp” (business support services) "
            "is published as “Chính sách hỗ trợ doanh nghiệp” (business support policy): one component, renamed."
        )
        vi += (
            " Từ lần hiệu chỉnh năm 2021, chỉ số thành phần “Dịch vụ hỗ trợ doanh nghiệp” được công bố với tên "
            "“Chính sách hỗ trợ doanh nghiệp”: cùng một chỉ số thành phần, đổi tên."
        )
    if year >= TOP30_FROM:
        en += (
            " From PCI 2023 VCCI publishes scores and ranks for the top 30 provinces only (pcivietnam.vn: “N/A”): "
            "a province outside them is not published (top 30 only), a publication rule, not missing data."
        )
        vi += (
            " Từ PCI 2023, VCCI chỉ công bố điểm số và xếp hạng của 30 tỉnh, thành phố đứng đầu (pcivietnam.vn ghi "
            "“N/A”): tỉnh ngoài nhóm này là không công bố (chỉ công bố 30 tỉnh đứng đầu), theo quy định công bố, "
            "không phải thiếu số liệu."
        )
    if year == 2024:
        en += " PCI 2024 ranks the 63 provinces before the 1 July 2025 merger."
        vi += " PCI 2024 xếp hạng 63 tỉnh, thành phố trước khi sắp xếp ngày 1/7/2025."
    return en, vi


def _quote(note: str) -> str:
    """The words a press row was read from, without the transcriber's own DISAGREES/(others …) remarks."""
    quote = note.split("quote: ", 1)[1] if "quote: " in note else ""
    quote = re.sub(r"^DISAGREES:\s*", "", quote)
    return re.sub(r"\s*\((?:other sources|others) [^)]*\)$", "", quote).strip().strip("'")


def choose(rows: list[dict], field: str) -> dict | None:
    """The row whose `field` is shown: the primary publisher's page first (see page_kind), then file order."""
    having = [r for r in rows if r[field]]
    return min(having, key=lambda r: page_kind(r["source_url"])) if having else None


def result_row(eid: str, uid: str, year: int, rows: list[dict], t: Tables, sub_urls: list[str]) -> dict:
    total_row, rank_row = choose(rows, "total"), choose(rows, "rank")
    main = total_row or rank_row or rows[0]
    sid = add_page_source(t, main["source_url"], main["province_vi"])
    total = _num(main["total"]) if total_row else None
    rank = int(rank_row["rank"]) if rank_row else None
    tier = None
    if m := re.search(r'tier "([^"]+)"', main["note"]):
        tier = m[1]
    host = urlparse(main["source_url"]).netloc
    en, vi = [f"Shown as printed by {host}."], [f"Hiển thị như {host} in."]
    if (m := re.search(r'printed name "([^"]+)"', main["note"])) and m[1] != main["province_vi"]:
        en.append(f"Printed as “{m[1]}”.")
        vi.append(f"Tên in: “{m[1]}”.")
    if rank_row and rank_row is not main:
        h = urlparse(rank_row["source_url"]).netloc
        en.append(f"Rank as printed by {h}.")
        vi.append(f"Thứ hạng theo {h}.")
    others = []
    for r in rows:
        if r is main or r["source_url"] == main["source_url"]:
            continue
        h = urlparse(r["source_url"]).netloc
        differs = (r["total"] and total is not None and abs(float(r["total"]) - total) > 1e-9) or (
            r["rank"] and rank is not None and int(r["rank"]) != rank
        )
        val = " ".join(x for x in (r["total"], f"(rank {r['rank']})" if r["rank"] else "") if x)
        val_vi = " ".join(x for x in (r["total"], f"(hạng {r['rank']})" if r["rank"] else "") if x)
        others.append((h, val, val_vi, differs, _quote(r["note"])))
    agree = [f"{h} {v}" for h, v, _, d, _ in others if not d]
    agree_vi = [f"{h} {v}" for h, _, v, d, _ in others if not d]
    if agree:
        en.append("Also printed by: " + "; ".join(agree) + ".")
        vi.append("Cũng được in ở: " + "; ".join(agree_vi) + ".")
    for h, v, v_vi, d, q in others:
        if d:
            en.append(f"Disagreement: {h} prints {v} (“{q}”); the primary publisher's value is shown.")
            vi.append(f"Nguồn khác nhau: {h} in {v_vi} (“{q}”); hiển thị giá trị của đơn vị công bố chính.")
    for url in sorted(set(sub_urls) - {main["source_url"]}):
        en.append(f"Sub-index scores as printed on {url}.")
        vi.append(f"Điểm chỉ số thành phần theo {url}.")
    if "outside published top-30" in main["note"]:
        en.append(
            "Outside the top 30 that VCCI publishes: this figure is from the province's own report as printed "
            "by the press."
        )
        vi.append("Ngoài nhóm 30 tỉnh VCCI công bố: số liệu này lấy từ báo cáo của tỉnh, theo báo chí đăng.")
    if total is None and "printed N/A" in main["note"]:
        en.append("Not published (top 30 only): VCCI prints N/A for this province; its sub-index scores are shown.")
        vi.append(
            "Không công bố (chỉ công bố 30 tỉnh đứng đầu): VCCI ghi N/A cho tỉnh này; điểm chỉ số thành phần "
            "vẫn được hiển thị."
        )
    elif total is None:
        en.append("Score not printed.")
        vi.append("Điểm không được in.")
    return results_row(eid, uid, "provinces", total, sid, rank=rank, tier=tier, note=" ".join(en), note_vi=" ".join(vi))


def build_pci_recent(src: Path, t: Tables, resolver: UnitResolver) -> None:
    """PCI 2020–2024 into t (after indices.build_pci and build_par, so a page shared with PAR keeps its source)."""
    ref = {r["component_id"]: r for r in read_csv(src / "reference" / "pci_subindices.csv")}
    rows = read_csv(src.joinpath(*PCI_FILE))
    by_unit: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for r in rows:
        year = int(r["year"])
        uid = resolver.resolve(r["province_vi"], "province", year=year)
        if uid is None:
            raise ValueError(f"PCI {year}: cannot resolve province {r['province_vi']!r}")
        by_unit[(year, uid)].append(r)
    for year in sorted({y for y, _ in by_unit}):
        units = {u: rs for (y, u), rs in by_unit.items() if y == year}
        n_totals = sum(any(r["total"] and not r["subindex_name"] for r in rs) for rs in units.values())
        first = (
            next(r for rs in units.values() for r in rs if page_kind(r["source_url"]) == 0) if year == 2020 else None
        )
        edition_source = add_page_source(t, first["source_url"]) if first else None
        results = []
        for uid, rs in sorted(units.items()):
            head = [r for r in rs if not r["subindex_name"]]
            if head:
                results.append((uid, head))
        eid = f"pci-{year}"
        if edition_source is None:  # a partial year: its main source is the page most of its rows come from
            counts: dict[str, int] = defaultdict(int)
            for _uid, head in results:
                counts[min(head, key=lambda r: page_kind(r["source_url"]))["source_url"]] += 1
            url = max(sorted(counts), key=lambda u: counts[u])
            province = next(r["province_vi"] for _u, h in results for r in h if r["source_url"] == url)
            edition_source = add_page_source(t, url, province)
        en, vi = method_note(year, n_totals)
        t.add_edition("pci", year, "national", edition_source, en, "complete" if year == 2020 else "partial", "points")
        t.editions[eid]["method_note_vi"] = vi
        present = []
        for uid, rs in sorted(units.items()):
            seen = set()
            for r in rs:
                if not r["subindex_name"]:
                    continue
                cid = SUBINDEX_IDS[r["subindex_name"]]
                if cid in seen:  # printed on two pages (profile in both languages): one score
                    continue
                seen.add(cid)
                present.append(cid)
                t.scores.append(score_row(eid, uid, cid, float(r["subindex_score"])))
        for cid in sorted(set(present), key=lambda c: int(ref[c]["position"])):
            name_vi, name_en = ref[cid]["name_vi"], ref[cid]["name_en"]
            if cid == "support" and year >= 2021:
                name_vi, name_en = SUPPORT_2021
            t.components.append(
                {
                    "edition_id": eid,
                    "component_id": cid,
                    "parent_component_id": None,
                    "name_vi": name_vi,
                    "name_en": name_en,
                    "max_score": None,
                    "position": int(ref[cid]["position"]),
                    "level": "dimension",
                    "unit_group": "provinces",
                }
            )
        for uid, head in results:
            subs = [r["source_url"] for r in units[uid] if r["subindex_name"]]
            t.results.append(result_row(eid, uid, year, head, t, subs))
