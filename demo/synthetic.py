"""Realistic synthetic data for trying and measuring the app at city scale:
20 departments and 50 district offices in their six groups, a four-level
strategy plan, and indicators with quarterly targets, results, scores and
narratives of realistic length, and the times quarters were submitted and
reviewed (inside each quarter's window, never later than now). Deterministic
for a given seed (the times also for a given day while a window is open). Written with
bulk_create (no history rows: this is test data, not recorded work)."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from indicators import data_sources, plausibility, rules, status_counts, stored_status
from indicators.models import Agency, DistrictGroup, FiscalYear, Indicator, Quarter, QuarterResult, StrategyNode
from reports.models import Narrative

BATCH = 2000

DEPARTMENTS = [
    ("2100", "สำนักยุทธศาสตร์และประเมินผล", "สยป."),
    ("1000", "สำนักปลัดกรุงเทพมหานคร", "สป."),
    ("1100", "สำนักงานเลขานุการผู้ว่าราชการกรุงเทพมหานคร", "สลก."),
    ("1200", "สำนักงานเลขานุการสภากรุงเทพมหานคร", "สล.สก."),
    ("1300", "สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร", "สก."),
    ("2000", "สำนักงบประมาณกรุงเทพมหานคร", "สงม."),
    ("2200", "สำนักการแพทย์", "สนพ."),
    ("2300", "สำนักอนามัย", "สนอ."),
    ("2400", "สำนักการศึกษา", "สนศ."),
    ("2500", "สำนักการโยธา", "สนย."),
    ("2600", "สำนักการระบายน้ำ", "สนน."),
    ("2700", "สำนักสิ่งแวดล้อม", "สสล."),
    ("2800", "สำนักการจราจรและขนส่ง", "สจส."),
    ("2900", "สำนักเทศกิจ", "สนท."),
    ("3000", "สำนักป้องกันและบรรเทาสาธารณภัย", "สปภ."),
    ("3100", "สำนักพัฒนาสังคม", "สพส."),
    ("3200", "สำนักวัฒนธรรม กีฬาและการท่องเที่ยว", "สวท."),
    ("3300", "สำนักการวางผังและพัฒนาเมือง", "สผม."),
    ("3400", "สำนักการคลัง", "สนค."),
    ("3500", "สำนักงานการต่างประเทศ", "สกต."),
]

# The 50 districts and their group (BMA order 2460/2552, as the demo groups).
DISTRICTS = {
    "bangkok-central": ["พระนคร", "ป้อมปราบศัตรูพ่าย", "สัมพันธวงศ์", "ดุสิต", "ปทุมวัน", "ราชเทวี",
                        "พญาไท", "ดินแดง", "ห้วยขวาง"],
    "bangkok-south": ["บางรัก", "สาทร", "บางคอแหลม", "ยานนาวา", "คลองเตย", "วัฒนา", "พระโขนง",
                      "สวนหลวง", "บางนา", "ประเวศ"],
    "bangkok-north": ["จตุจักร", "บางซื่อ", "ลาดพร้าว", "หลักสี่", "ดอนเมือง", "สายไหม", "บางเขน"],
    "bangkok-east": ["มีนบุรี", "ลาดกระบัง", "หนองจอก", "คลองสามวา", "คันนายาว", "สะพานสูง", "บึงกุ่ม",
                     "บางกะปิ", "วังทองหลาง"],
    "thonburi-north": ["ธนบุรี", "คลองสาน", "บางกอกใหญ่", "บางกอกน้อย", "บางพลัด", "ตลิ่งชัน",
                       "ทวีวัฒนา", "ภาษีเจริญ"],
    "thonburi-south": ["จอมทอง", "ราษฎร์บูรณะ", "ทุ่งครุ", "บางขุนเทียน", "บางบอน", "บางแค", "หนองแขม"],
}
GROUP_NAMES = {
    "bangkok-central": "กลุ่มกรุงเทพกลาง", "bangkok-south": "กลุ่มกรุงเทพใต้",
    "bangkok-north": "กลุ่มกรุงเทพเหนือ", "bangkok-east": "กลุ่มกรุงเทพตะวันออก",
    "thonburi-north": "กลุ่มกรุงธนเหนือ", "thonburi-south": "กลุ่มกรุงธนใต้",
}

DIMENSIONS = [
    ("1", "มหานครปลอดภัย : Safe City", ["ปลอดมลพิษ", "ปลอดอาชญากรรมและยาเสพติด", "ปลอดอุบัติภัย"]),
    ("2", "มหานครสีเขียว สะดวกสบาย : Green, Convenient City",
     ["ลดมลพิษ", "พื้นที่สีเขียวและสวนสาธารณะ", "การเดินทางสะดวกและปลอดภัย"]),
    ("3", "มหานครสำหรับทุกคน : Inclusive City", ["สังคมผู้สูงอายุ", "ผู้พิการและผู้ด้อยโอกาส", "สุขภาวะของประชาชน"]),
    ("4", "มหานครกะทัดรัด : Compact City", ["การพัฒนาเมืองตามผังเมือง", "ฟื้นฟูเมืองเก่า", "ศูนย์ชุมชนย่าน"]),
    ("5", "มหานครประชาธิปไตย : Bangkok as a Democratic City",
     ["การมีส่วนร่วมของประชาชน", "เมืองธรรมาภิบาล", "ความโปร่งใส"]),
    ("6", "มหานครแห่งเศรษฐกิจและการเรียนรู้ : Economic and Learning City",
     ["เศรษฐกิจชุมชน", "การท่องเที่ยว", "การศึกษาตลอดชีวิต"]),
    ("7", "การบริหารจัดการเมืองมหานคร : Management", ["การบริหารงานบุคคล", "รายได้และการคลัง", "เมืองอัจฉริยะ"]),
]

SUBJECTS = {
    "1": ["ปริมาณขยะมูลฝอยที่ลดลงจากการคัดแยกที่ต้นทาง", "จุดเสี่ยงอาชญากรรมที่ได้รับการแก้ไข",
          "กล้องโทรทัศน์วงจรปิดที่ใช้งานได้", "อาคารสูงที่ผ่านการตรวจระบบป้องกันอัคคีภัย",
          "ชุมชนที่ผ่านการฝึกซ้อมแผนป้องกันสาธารณภัย", "จุดเสี่ยงน้ำท่วมที่ได้รับการแก้ไข"],
    "2": ["พื้นที่สีเขียวที่เพิ่มขึ้น", "ต้นไม้ที่ปลูกและดูแลให้เติบโต", "ทางเท้าที่ได้รับการปรับปรุง",
          "คลองที่ได้รับการขุดลอกและเปิดทางน้ำไหล", "ค่าฝุ่นละอองขนาดไม่เกิน 2.5 ไมครอนที่เกินมาตรฐาน",
          "ป้ายรถโดยสารประจำทางที่ได้รับการปรับปรุง"],
    "3": ["ผู้สูงอายุที่ได้รับการดูแลสุขภาพที่บ้าน", "ผู้พิการที่ได้รับบริการสวัสดิการ",
          "ผู้ป่วยโรคไม่ติดต่อเรื้อรังที่ได้รับการคัดกรอง", "ร้านอาหารริมบาทวิถีที่ผ่านเกณฑ์สุขาภิบาลอาหาร",
          "เด็กปฐมวัยที่มีพัฒนาการสมวัย", "ศูนย์บริการสาธารณสุขที่ผ่านการรับรองคุณภาพ"],
    "4": ["อาคารที่ได้รับอนุญาตตามผังเมืองรวม", "ย่านเก่าที่ได้รับการฟื้นฟู", "ศูนย์ชุมชนย่านที่ได้รับการพัฒนา",
          "ที่ดินว่างเปล่าที่นำมาใช้ประโยชน์", "แผนพัฒนาพื้นที่เฉพาะที่จัดทำแล้วเสร็จ"],
    "5": ["เรื่องร้องเรียนที่ได้รับการแก้ไขภายในเวลาที่กำหนด", "ชุมชนที่มีแผนพัฒนาชุมชน",
          "เวทีรับฟังความคิดเห็นของประชาชนที่จัดขึ้น", "ข้อมูลเปิดที่เผยแพร่ต่อสาธารณะ",
          "รายงานผลการศึกษาบริบทเพื่อการพัฒนาเชิงพื้นที่"],
    "6": ["ผู้ค้าหาบเร่แผงลอยที่ได้รับการจัดระเบียบ", "นักท่องเที่ยวที่เข้าร่วมกิจกรรมเทศกาล",
          "นักเรียนที่มีผลสัมฤทธิ์ทางการเรียนผ่านเกณฑ์", "ผู้เข้ารับการฝึกอาชีพที่มีงานทำ",
          "ห้องสมุดและบ้านหนังสือที่เปิดให้บริการ"],
    "7": ["ข้าราชการที่ได้รับการพัฒนาทักษะดิจิทัล", "รายได้ที่จัดเก็บได้ตามประมาณการ",
          "งานบริการที่ให้บริการผ่านระบบออนไลน์", "การเบิกจ่ายงบประมาณตามแผน",
          "ความพึงพอใจของผู้รับบริการ"],
}

CATEGORIES = [
    ("ตัวชี้วัดเชิงยุทธศาสตร์", 5),
    ("ตัวชี้วัดตามภารกิจประจำ", 3),
    ("ตัวชี้วัดตามนโยบายผู้บริหาร", 2),
    ("ตัวชี้วัดร่วม", 1),
]
CHAIN_LEVELS = ["ตัวชี้วัดระดับผลผลิต (output)", "ตัวชี้วัดระดับผลลัพธ์ (outcome)"]
# The unit a count is naturally kept in, by a word of its subject.
COUNT_UNITS = [
    ("ขยะ", "ตัน"), ("ทางเท้า", "กิโลเมตร"), ("คลอง", "สาย"), ("ต้นไม้", "ต้น"), ("ชุมชน", "ชุมชน"),
    ("เวที", "ครั้ง"), ("กิจกรรม", "ครั้ง"), ("รายงาน", "เล่ม"), ("แผน", "แผน"), ("รายได้", "ล้านบาท"),
    ("งบประมาณ", "ล้านบาท"), ("ผู้", "คน"), ("นักเรียน", "คน"), ("เด็ก", "คน"), ("ข้าราชการ", "คน"),
    ("นักท่องเที่ยว", "คน"), ("เรื่อง", "เรื่อง"), ("ข้อมูล", "ชุด"), ("งานบริการ", "งาน"),
]


def _count_unit(subject):
    return next((unit for word, unit in COUNT_UNITS if word in subject), "แห่ง")

SENTENCES = [
    "หน่วยงานได้ดำเนินการตามแผนปฏิบัติราชการประจำปีงบประมาณ โดยประสานความร่วมมือกับหน่วยงานที่เกี่ยวข้องอย่างต่อเนื่อง",
    "มีการจัดประชุมคณะทำงานเพื่อติดตามความก้าวหน้าของโครงการและกำหนดแนวทางแก้ไขปัญหาที่เกิดขึ้นในพื้นที่",
    "ได้ทำหนังสือขอความร่วมมือถึงสำนักงานเขตและส่วนราชการในสังกัด ตามหนังสือ ที่ กท 0502/154 ลงวันที่ 29 มกราคม",
    "ผลการดำเนินงานเป็นไปตามเป้าหมายที่กำหนด และได้รายงานผลให้ผู้บริหารทราบแล้ว",
    "อยู่ระหว่างการรวบรวมข้อมูลจากสำนักงานเขตเพื่อจัดทำรายงานสรุปผลการดำเนินงานรายไตรมาส",
    "เนื่องจากสถานการณ์การแพร่ระบาดของโรคติดเชื้อ จึงปรับรูปแบบกิจกรรมเป็นการประชุมผ่านระบบออนไลน์",
    "ได้ลงพื้นที่สำรวจข้อมูลร่วมกับประชาคมและผู้นำชุมชน เพื่อรับฟังความคิดเห็นและข้อเสนอแนะ",
    "การเบิกจ่ายงบประมาณเป็นไปตามแผน คิดเป็นร้อยละของงบประมาณที่ได้รับจัดสรร",
    "มีการจัดอบรมเชิงปฏิบัติการให้แก่เจ้าหน้าที่ผู้รับผิดชอบ เพื่อเพิ่มประสิทธิภาพในการปฏิบัติงาน",
    "ได้เผยแพร่ประชาสัมพันธ์ผ่านสื่อสังคมออนไลน์และป้ายประชาสัมพันธ์ในพื้นที่ชุมชน",
    "ปัญหาและอุปสรรค คือ ข้อจำกัดด้านบุคลากรและระยะเวลาในการดำเนินการ",
    "แนวทางแก้ไข คือ บูรณาการการทำงานร่วมกับภาคีเครือข่ายและสถาบันการศึกษาในพื้นที่",
]


def _narrative(rng, length):
    parts, total, n = [], 0, 1
    while total < length:
        sentence = f"{n}. {rng.choice(SENTENCES)}"
        parts.append(sentence)
        total += len(sentence) + 1
        n += 1
    return " ".join(parts)


def _ensure_world():
    """Groups, agencies and the strategy plan; reuses what exists (demo data)."""
    groups = {}
    for order, (code, name) in enumerate(GROUP_NAMES.items(), start=1):
        groups[code], _ = DistrictGroup.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    agencies = []
    for code, name, short in DEPARTMENTS:
        agency, _ = Agency.objects.get_or_create(code=code, defaults={"name": name, "short_name": short})
        agencies.append(agency)
    existing = {a.name: a for a in Agency.objects.filter(kind=Agency.Kind.DISTRICT_OFFICE)}
    number = 0
    for group_code, names in DISTRICTS.items():
        for name in names:
            number += 1
            full = f"สำนักงานเขต{name}"
            agency = existing.get(full)
            if agency is None:
                agency, _ = Agency.objects.get_or_create(
                    code=f"50{number:02d}9000",
                    defaults={"name": full, "short_name": f"เขต{name}", "kind": Agency.Kind.DISTRICT_OFFICE,
                              "district_group": groups[group_code]},
                )
            agencies.append(agency)

    objectives = {}
    for code, title, subs in DIMENSIONS:
        dimension, _ = StrategyNode.objects.get_or_create(code=code, defaults={"level": 1, "title": title})
        for s, sub_title in enumerate(subs, start=1):
            sub, _ = StrategyNode.objects.get_or_create(
                code=f"{code}.{s}", defaults={"level": 2, "title": sub_title, "parent": dimension})
            for g in (1, 2):
                goal, _ = StrategyNode.objects.get_or_create(
                    code=f"{code}.{s}.{g}",
                    defaults={"level": 3, "parent": sub, "title": f"{sub_title} บรรลุผลตามเป้าหมายระยะที่ {g}"})
                for o in (1, 2):
                    node, _ = StrategyNode.objects.get_or_create(
                        code=f"{code}.{s}.{g}.{o}",
                        defaults={"level": 4, "parent": goal,
                                  "title": f"ส่งเสริมให้{sub_title}มีประสิทธิภาพ แนวทางที่ {o}"})
                    objectives.setdefault(code, []).append(node)
    return agencies, objectives


def _quarter_values(rng, aggregation, annual_target, places):
    """Four results that look like a year's reporting."""
    quantum = Decimal(1).scaleb(-places)
    reach = Decimal(str(rng.uniform(0.55, 1.35)))
    final = annual_target * reach
    if aggregation == rules.CUMULATIVE:
        shares = sorted(rng.uniform(0.1, 1) for _ in range(3)) + [1]
        values = [final * Decimal(str(s)) for s in shares]
    elif aggregation == rules.SUM:
        weights = [rng.uniform(0.5, 1.5) for _ in range(4)]
        values = [final * Decimal(str(w / sum(weights))) for w in weights]
    else:
        values = [final * Decimal(str(rng.uniform(0.9, 1.1))) for _ in range(4)]
    return [v.quantize(quantum) for v in values]


# Criteria as a share of the target for levels 1..5 (OPDC-style 60-100 %).
CRITERIA_SHARES = [Decimal("0.6"), Decimal("0.7"), Decimal("0.8"), Decimal("0.9"), Decimal("1")]
# Every this many indicators one has no criteria, so the scorecard's warning shows too.
WITHOUT_CRITERIA_EVERY = 12


def _weigh_and_set_criteria(indicators):
    """Weights summing to 100 within each agency's set for the year (1, 2 or
    3 parts each, in order, two decimals, the rounding left on the last), and
    five-level criteria around each target. Deterministic without the random
    generator, so the rest of the generated data stays as it was."""
    by_agency = {}
    for index, indicator in enumerate(indicators):
        by_agency.setdefault(indicator.owner_id, []).append(indicator)
        if index % WITHOUT_CRITERIA_EVERY == WITHOUT_CRITERIA_EVERY - 1:
            continue
        # Criteria as a person would type them: 60 % of 2 km is 1.2 km even
        # where results are whole kilometres (two decimals, as the milestones).
        quantum = Decimal(1).scaleb(-max(indicator.decimal_places, 2))
        target = indicator.annual_target
        if indicator.direction == rules.LOWER_IS_BETTER:
            # Less is better: level 1 at 140 % of the target down to the target itself.
            levels = [target * (2 - share) for share in CRITERIA_SHARES]
        else:
            levels = [target * share for share in CRITERIA_SHARES]
        for level, value in enumerate(levels, start=1):
            setattr(indicator, f"criteria_level_{level}", value.quantize(quantum))
    cent = Decimal("0.01")
    for owned in by_agency.values():
        parts = [1 + i % 3 for i in range(len(owned))]
        weights = [(Decimal(100) * part / sum(parts)).quantize(cent) for part in parts]
        weights[-1] += Decimal(100) - sum(weights)
        for indicator, weight in zip(owned, weights, strict=True):
            indicator.weight = weight


RETURN_COMMENTS = [
    "กรุณาแนบภาพถ่ายกิจกรรมและหนังสือเชิญประชุมเป็นหลักฐานเพิ่มเติม",
    "ผลงานที่รายงานไม่ตรงกับเอกสารหลักฐาน กรุณาตรวจสอบตัวเลขอีกครั้ง",
    "กรุณาระบุรายละเอียดการดำเนินงานของแต่ละกลุ่มเขตให้ครบถ้วน",
]
Status = QuarterResult.Status


def _in_progress_state(rng):
    """Where one indicator's open quarter stands while the year is running."""
    return rng.choices(
        [Status.NOT_STARTED, Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED],
        weights=[20, 25, 30, 10, 15],
    )[0]


# A quarter's report comes in on a working day, in office hours.
OFFICE_OPENS, OFFICE_CLOSES = datetime.time(8, 30), datetime.time(16, 30)


def _submission_times(rng, window, now):
    """(submitted at, reviewed at) of a quarter reported through `window`:
    a day of the window in office hours, never later than `now` (a demo
    loaded while the window is open has its submissions up to today), the
    review 1-14 days after it, also not later than `now`."""
    first, last = window.opens_on, min(window.closes_on, timezone.localdate(now))
    if last < first:  # the window has not opened yet: as if sent early, in the days before now
        first = last - datetime.timedelta(days=14)
    day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
    hours = datetime.datetime.combine(day, OFFICE_CLOSES) - datetime.datetime.combine(day, OFFICE_OPENS)
    submitted = min(timezone.make_aware(datetime.datetime.combine(day, OFFICE_OPENS) + hours * rng.random()),
                    now - datetime.timedelta(minutes=rng.randint(5, 120)))
    reviewed = min(submitted + datetime.timedelta(days=rng.uniform(1, 14)), now)
    return submitted, reviewed


@transaction.atomic
def generate(indicators=2500, years=1, last_year=2569, seed=2569, narratives=True, log=print,
             reporting_quarter=None, evaluated_share=0.45):
    """`reporting_quarter`: the latest year is in progress, its quarters
    before that one accepted, that one at every stage of the workflow
    (not started, draft, submitted, returned with a comment, accepted) and
    the later ones not reported yet. Otherwise the latest year waits for
    the evaluation of quarter 4 (`evaluated_share` of it scored already)
    and the years before it are complete."""
    rng = random.Random(seed)
    # The submission times draw from their own stream: the data above them
    # stays what it was for a seed.
    times_rng = random.Random(f"{seed}:submitted")
    now = timezone.now()
    agencies, objectives = _ensure_world()
    dimension_codes = list(objectives)
    year_numbers = list(range(last_year - years + 1, last_year + 1))
    per_year = [indicators // years + (1 if i < indicators % years else 0) for i in range(years)]

    created = 0
    for year_number, count in zip(year_numbers, per_year, strict=True):
        fiscal_year, _ = FiscalYear.objects.get_or_create(year=year_number)
        windows = {}
        for q in (1, 2, 3, 4):
            _start, end = fiscal_year.quarter_period(q)
            windows[q], _ = Quarter.objects.get_or_create(
                fiscal_year=fiscal_year, number=q,
                defaults={"opens_on": end.replace(day=15), "closes_on": end.replace(day=28)},
            )
        taken = set(Indicator.objects.filter(fiscal_year=fiscal_year).values_list("code", flat=True))
        is_current = year_number == last_year
        new = []
        sequence = {}
        for _ in range(count):
            agency = rng.choice(agencies)
            dimension = rng.choice(dimension_codes)
            seq = sequence.get(agency.pk, 2000)
            code = f"{agency.code}-{seq:04d}"
            while code in taken:
                seq += 1
                code = f"{agency.code}-{seq:04d}"
            sequence[agency.pk] = seq + 1
            taken.add(code)
            subject = rng.choice(SUBJECTS[dimension])
            # Satisfaction is measured as a percentage, never counted.
            percent = rng.random() < 0.45 or subject.startswith("ความพึงพอใจ")
            if percent:
                name, unit, places = f"ร้อยละของ{subject}", "ร้อยละ", 2
                target = Decimal(rng.choice([60, 70, 75, 80, 85, 90, 95, 100]))
            else:
                name, unit, places = f"จำนวน{subject}", _count_unit(subject), 0
                target = Decimal(rng.choice([1, 2, 4, 6, 10, 12, 20, 50, 100, 250, 1000]))
            if agency.kind == Agency.Kind.DISTRICT_OFFICE:
                name += f"ในพื้นที่{agency.name.replace('สำนักงาน', '')}"
            category = rng.choices([c for c, _ in CATEGORIES], weights=[w for _, w in CATEGORIES])[0]
            new.append(Indicator(
                fiscal_year=fiscal_year, code=code, name=name, owner=agency, unit=unit, annual_target=target,
                category=category, result_chain_level=rng.choice(CHAIN_LEVELS),
                weight=Decimal(rng.choice([0, 5, 10, 15, 20])),  # replaced by _weigh_and_set_criteria
                definition=_narrative(rng, rng.randint(150, 600)),
                calculation_method=f"นับ{name}" if not percent else f"({subject}) หารด้วยจำนวนทั้งหมด คูณ 100",
                data_sources="1. รายงานผลการดำเนินงานของหน่วยงาน 2. ภาพถ่ายการจัดกิจกรรม",
                aggregation=rng.choices(
                    [rules.CUMULATIVE, rules.SUM, rules.AVERAGE, rules.LATEST], weights=[6, 2, 1, 1])[0],
                direction=rules.LOWER_IS_BETTER if rng.random() < 0.08 else rules.HIGHER_IS_BETTER,
                decimal_places=places,
                reports_by_district_group=rng.random() < 0.03,
            ))
            new[-1]._dimension = dimension
        _weigh_and_set_criteria(new)
        Indicator.objects.bulk_create(new, batch_size=BATCH)

        links, results, texts = [], [], []
        through = Indicator.strategy_nodes.through
        groups = list(DistrictGroup.objects.order_by("order"))
        for indicator in new:
            nodes = rng.sample(objectives[indicator._dimension], k=rng.choice([1, 1, 1, 2]))
            links += [through(indicator_id=indicator.pk, strategynode_id=node.pk) for node in nodes]
            # Past years are complete; in the latest year Q4 is being evaluated.
            silent = rng.random() < 0.04
            evaluated_q4 = rng.random() < (evaluated_share if is_current else 0.95)
            values = _quarter_values(rng, indicator.aggregation, indicator.annual_target, indicator.decimal_places)
            # A quarter is judged by its value to date, so a summed indicator
            # carries milestones that grow with the quarters, as a city sets them.
            draw = rng.random()
            milestones = indicator.aggregation == rules.SUM or (draw < 0.3 and indicator.aggregation == rules.CUMULATIVE)
            in_progress = is_current and reporting_quarter is not None
            open_state = _in_progress_state(rng) if in_progress else None
            previous_targets: dict[int, Decimal] = {}
            for q, value in zip((1, 2, 3, 4), values, strict=True):
                target = (indicator.annual_target * q / 4).quantize(Decimal("0.01")) if milestones and q < 4 else None
                late = in_progress and (q > reporting_quarter or (q == reporting_quarter
                                                                   and open_state == Status.NOT_STARTED))
                if silent or late:
                    results.append(QuarterResult(indicator=indicator, quarter=q, target=target))
                    continue
                applicable = rules.applicable_target(indicator.annual_target, target)
                suggested = rules.suggested_score(values, q, indicator.aggregation, applicable, indicator.direction)
                if in_progress and q == reporting_quarter:
                    status = open_state
                else:
                    status = Status.ACCEPTED if q < 4 or evaluated_q4 else Status.SUBMITTED
                scored = status == Status.ACCEPTED
                # The warnings the entry form would have raised; a result is
                # saved with them only once its reporter confirmed it.
                previous = q - 1 if q > 1 else None
                flags = [flag.as_stored() for flag in plausibility.check(
                    value=value, target=applicable, unit=indicator.unit, aggregation=indicator.aggregation,
                    places=indicator.decimal_places, previous_value=values[previous - 1] if previous else None,
                    previous_target=previous_targets.get(previous))]
                previous_targets[q] = applicable
                sent = status in (Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED)
                submitted_at, reviewed_at = _submission_times(times_rng, windows[q], now) if sent else (None, None)
                results.append(QuarterResult(
                    indicator=indicator, quarter=q, target=target, value=value,
                    score_self=suggested if scored or status == Status.SUBMITTED else None,
                    score_confirmed=suggested if scored else None,
                    status=status,
                    reviewer_comment=rng.choice(RETURN_COMMENTS) if status == Status.RETURNED else "",
                    plausibility_flags=flags, plausibility_confirmed=bool(flags),
                    submitted_at=submitted_at,
                    reviewed_at=reviewed_at if status != Status.SUBMITTED else None,
                ))
                if narratives:
                    length = int(min(3200, rng.lognormvariate(6.6, 0.6)))
                    texts.append(Narrative(indicator=indicator, quarter=q, text=_narrative(rng, length)))
                    if indicator.reports_by_district_group and q == 4:
                        texts += [Narrative(indicator=indicator, quarter=q, district_group=group,
                                            text=_narrative(rng, rng.randint(200, 800))) for group in groups]
        through.objects.bulk_create(links, batch_size=BATCH)
        QuarterResult.objects.bulk_create(results, batch_size=BATCH)
        stored_status.refresh((indicator.pk for indicator in new), recount=False)
        data_sources.sync_items(indicator.pk for indicator in new)  # the evidence checklists
        status_counts.rebuild_years([fiscal_year.pk])
        Narrative.objects.bulk_create(texts, batch_size=BATCH)
        created += len(new)
        log(f"ปีงบประมาณ {year_number}: {len(new)} ตัวชี้วัด, {len(results)} ผลรายไตรมาส, {len(texts)} รายงานผล")
    return created
