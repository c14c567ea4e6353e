"""Messages the core shows to people, in Simplified Chinese (default) and English."""

from __future__ import annotations

from typing import Any

FIELDS: dict[str, tuple[str, str]] = {
    "id_number": ("身份证号码", "ID number"),
    "name": ("姓名", "name"),
    "sex": ("性别", "sex"),
    "birth_date": ("出生日期", "birth date"),
    "hukou_region": ("户籍地区划代码", "hukou region"),
    "hukou_type": ("户籍性质", "hukou type"),
    "phone": ("联系电话", "phone"),
    "nationality": ("国籍", "nationality"),
    "passport": ("护照号码", "passport number"),
    "uscc": ("统一社会信用代码", "unified social credit code"),
    "employer_uscc": ("统一社会信用代码", "employer credit code"),
    "employer": ("用人单位", "employer"),
    "region": ("行政区划代码", "region code"),
    "risk_class": ("工伤风险类别", "injury risk class"),
    "worker": ("参保人", "insured person"),
    "month": ("所属期", "month"),
    "wage": ("缴费工资", "wage"),
    "schemes": ("险种", "schemes"),
    "scheme": ("险种", "scheme"),
    "year": ("年度", "year"),
    "monthly": ("月平均工资", "average monthly wage"),
    "rate": ("费率", "rate"),
    "employer_rate": ("单位费率", "employer rate"),
    "employee_rate": ("个人费率", "employee rate"),
    "from": ("起始月份", "from month"),
    "to": ("截止月份", "to month"),
    "office": ("经办机构代码", "office code"),
    "kind": ("文书种类", "document kind"),
    "number": ("文书编号", "document number"),
    "reason": ("原因", "reason"),
    "office_name": ("经办机构名称", "office name"),
    "file": ("文件", "file"),
    "header": ("表头", "header row"),
    "grade": ("缴费档次", "contribution grade"),
    "amount": ("金额", "amount"),
    "db": ("数据库", "database"),
    "floor": ("下限比例", "floor ratio"),
    "ceiling": ("上限比例", "ceiling ratio"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("不能为空", "is required"),
    "id.length": ("应为18位（现为{length}位）", "must have 18 characters (has {length})"),
    "id.format": ("前17位应为数字，末位为数字或X", "the first 17 must be digits, the last a digit or X"),
    "id.checksum": ("校验码错误（末位应为{expected}）", "wrong check character (should end in {expected})"),
    "id.birth_date": ("出生日期{value}不是有效日期", "birth date {value} is not a real date"),
    "id.birth_future": ("出生日期{value}晚于今天", "birth date {value} is in the future"),
    "id.region": ("地址码{code}不是曾经有效的行政区划代码", "place code {code} was never a valid region code"),
    "uscc.length": ("应为18位（现为{length}位）", "must have 18 characters (has {length})"),
    "uscc.authority": ("登记管理部门代码{char}无效（应为1-9、A、N、Y）", "registration authority {char} is not valid (1-9, A, N or Y)"),
    "uscc.format": ("含有不允许的字符{char}（不使用I、O、Z、S、V）", "has a character that is not allowed: {char} (I, O, Z, S, V are never used)"),
    "uscc.region": ("第3-8位应为行政区划代码数字", "characters 3 to 8 must be the digits of a region code"),
    "uscc.checksum": ("校验码错误（末位应为{expected}）", "wrong check character (should end in {expected})"),
    "region.format": ("应为6位数字", "must be 6 digits"),
    "region.unknown": ("{code}不是已知的行政区划代码", "{code} is not a known region code"),
    "date.format": ("{value}不是有效日期（格式YYYY-MM-DD）", "{value} is not a valid date (YYYY-MM-DD)"),
    "month.format": ("{value}不是有效月份（格式YYYY-MM）", "{value} is not a valid month (YYYY-MM)"),
    "month.future": ("{value}晚于当前月份{current}", "{value} is after the current month {current}"),
    "month.order": ("截止月份早于起始月份", "ends before it starts"),
    "year.format": ("{value}不是有效年度", "{value} is not a valid year"),
    "amount.format": ("{value}不是有效金额", "{value} is not a valid amount"),
    "amount.fen": ("{value}超过两位小数（金额精确到分）", "{value} has more than two decimals (amounts are exact to the fen)"),
    "amount.positive": ("必须大于零", "must be greater than zero"),
    "amount.too_large": ("{value}超过缴费基数上限{ceiling}的100倍", "{value} is over 100 times the base ceiling {ceiling}"),
    "rate.format": ("{value}不是有效费率（如0.16）", "{value} is not a valid rate (e.g. 0.16)"),
    "rate.range": ("{value}应在0到1之间", "{value} must be between 0 and 1"),
    "ratio.format": ("{value}不是有效比例", "{value} is not a valid ratio"),
    "sex.format": ("应为M（男）或F（女）", "must be M or F"),
    "hukou_type.format": ("应为urban（城镇）或rural（农村）", "must be urban or rural"),
    "phone.format": ("{value}不是有效电话号码", "{value} is not a valid phone number"),
    "country.format": ("{value}不是ISO 3166两位国家代码", "{value} is not an ISO 3166 two-letter country code"),
    "country.china": ("中国公民请用身份证号码登记", "Chinese citizens register with their ID number"),
    "passport.format": ("{value}不是有效护照号码", "{value} is not a valid passport number"),
    "name.format": ("姓名含有不允许的字符", "the name has characters that are not allowed"),
    "risk_class.range": ("应为1到8", "must be 1 to 8"),
    "scheme.unknown": ("{value}不是已知险种（{known}）", "{value} is not a known scheme ({known})"),
    "scheme.not_employee": ("{value}是居民险种，不按月按工资缴费", "{value} is a residents' scheme, not paid monthly on a wage"),
    "scheme.not_resident": ("{value}不是居民险种", "{value} is not a residents' scheme"),
    "scheme.not_in_force": ("{scheme}在{month}不单独征缴（{note}）", "{scheme} is not collected separately in {month} ({note})"),
    "worker.exists": ("此人已登记：{name}（{number}）", "this person is already registered: {name} ({number})"),
    "worker.unknown": ("未找到参保人{value}", "no insured person {value}"),
    "worker.name_mismatch": ("姓名与登记的{registered}不符", "does not match the registered name {registered}"),
    "employer.exists": ("该单位已登记：{name}", "this employer is already registered: {name}"),
    "employer.unknown": ("未登记的用人单位{value}", "no registered employer {value}"),
    "office.missing": ("数据库尚未初始化，请先运行 shebao init", "the database has no office yet: run shebao init first"),
    "office.exists": ("数据库已属于经办机构{code}（{name}）", "the database already belongs to office {code} ({name})"),
    "office.code": ("应为1到20位字母或数字", "must be 1 to 20 letters or digits"),
    "wage.missing": ("{region}没有{year}年使用的上年度月平均工资，无法确定缴费基数上下限（请先用 shebao wage set 设置）", "{region} has no previous-year average monthly wage for {year}, so the base limits are unknown (set it with shebao wage set)"),
    "rate.missing": ("{region}在{month}没有{scheme}的费率（请先用 shebao rate set 设置）", "{region} has no {scheme} rate in force for {month} (set it with shebao rate set)"),
    "limits.missing": ("{region}在{month}没有缴费基数上下限比例", "{region} has no base limit ratios for {month}"),
    "contrib.exists": ("{month}的{scheme}已记录（单位{employer}）", "{scheme} for {month} is already recorded (employer {employer})"),
    "contrib.duplicate_row": ("与第{other}行重复（同一人、同一单位、同一月份）", "repeats line {other} (same person, employer and month)"),
    "contrib.exists_other": ("{month}已按缴费工资{wage}记录，不能以不同工资重复申报", "{month} is already recorded with wage {wage}; a different wage cannot be declared again"),
    "contrib.recorded": ("已记录{month}，缴费基数{base}", "recorded {month}, base {base}"),
    "employer.no_risk_class": ("该单位未设定工伤风险类别，无法计算工伤保险", "the employer has no injury risk class, so injury insurance cannot be computed"),
    "import.cancelled": ("已取消导入，未写入任何数据", "import cancelled; nothing was written"),
    "contrib.before_birth": ("{month}早于参保人年满16周岁的月份", "{month} is before the person turned 16"),
    "resident.grade": ("{value}不是{region}{year}年的缴费档次（{grades}）", "{value} is not a {year} contribution grade in {region} ({grades})"),
    "resident.no_grades": ("{region}没有{year}年的{scheme}缴费档次", "{region} has no {scheme} grades for {year}"),
    "resident.exists": ("{year}年的{scheme}已缴费", "{scheme} for {year} is already paid"),
    "resident.employee_overlap": ("{year}年已参加职工基本养老保险，不能同时参加城乡居民养老保险", "already in the employees' pension in {year}; cannot join the residents' pension too"),
    "import.bad_rows": ("申报文件有{count}行错误，全部未导入", "the declaration has {count} bad rows; nothing was imported"),
    "import.encoding": ("无法识别的文件编码（第{line}行附近的字节不是UTF-8或GBK）", "undecodable bytes near line {line} (neither UTF-8 nor GBK)"),
    "import.empty": ("文件没有表头行", "the file has no header row"),
    "import.no_rows": ("文件没有数据行", "the file has no data rows"),
    "import.missing_columns": ("缺少列：{columns}", "missing columns: {columns}"),
    "import.unknown_columns": ("未知的列：{columns}", "unknown columns: {columns}"),
    "import.duplicate_columns": ("重复的列：{columns}", "repeated columns: {columns}"),
    "import.format": ("不支持的文件类型{suffix}（应为.csv或.xlsx）", "unsupported file type {suffix} (use .csv or .xlsx)"),
    "import.unreadable": ("无法读取文件：{reason}", "cannot read the file: {reason}"),
    "import.cells": ("第{line}行的列数为{found}，应为{expected}", "line {line} has {found} cells, expected {expected}"),
    "db.newer": ("数据库版本{found}比本程序新，请升级程序", "the database version {found} is newer than this program: upgrade the program"),
    "db.open": ("无法打开数据库：{reason}", "cannot open the database: {reason}"),
    "font.missing": ("找不到可嵌入的中文TrueType字体。请安装 fonts-wqy-microhei（Debian: apt-get install fonts-wqy-microhei），或将环境变量 SHEBAO_FONT 设为 .ttf/.ttc 字体文件路径。已尝试：{tried}", "no embeddable Chinese TrueType font found. Install fonts-wqy-microhei (Debian: apt-get install fonts-wqy-microhei) or set SHEBAO_FONT to a .ttf/.ttc file. Tried: {tried}"),
    "document.kind": ("{value}不是可打印的文书种类（{known}）", "{value} is not a printable kind ({known})"),
    "document.unknown": ("没有编号为{value}的文书", "no document numbered {value}"),
    "document.void": ("文书{number}已作废：{reason}", "document {number} is void: {reason}"),
    "document.no_pension": ("此人在本地没有职工基本养老保险缴费记录，不能出具参保缴费凭证", "this person has no employees' pension record here, so no contribution certificate can be issued"),
    "verify.ok": ("验证通过：签名有效，出具机构受信任", "valid: the signature is good and the issuing office is trusted"),
    "verify.malformed": ("不是有效的验证码（格式或字符有误）", "not a valid verification code (wrong form or characters)"),
    "verify.untrusted": ("出具机构{office}不在本机构的信任列表中，无法核验", "the issuing office {office} is not trusted here, so the code cannot be checked"),
    "verify.bad_signature": ("签名不符：验证码内容被改动或不是该机构出具", "the signature does not match: the code was altered or not issued by that office"),
    "verify.not_registered": ("该编号登记的验证码与此不同", "the register holds a different code for this number"),
    "verify.void": ("该文书已于{date}作废：{reason}", "the document was voided on {date}: {reason}"),
    "identity.format": ("不是有效的经办机构身份文件", "not a valid office identity file"),
    "identity.own": ("这是本机构自己的身份", "this is this office's own identity"),
    "document.not_yet": ("{value}尚不能打印（相关业务尚未开放）", "{value} cannot be printed yet (that procedure is not available yet)"),
    "forms.invalid": ("表单文件有误：\n{problems}", "form files with problems:\n{problems}"),
    "interest.missing": ("{year}年记账利率未设置", "no crediting rate is set for {year}"),
}


def render(key: str, lang: str = "zh", **params: Any) -> str:
    """The message for key in lang ('zh' or 'en') with its parameters filled in."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def field_label(name: str, lang: str = "zh") -> str:
    """The label of a field for messages."""
    pair = FIELDS.get(name)
    if pair is None:
        return name
    return pair[1] if lang == "en" else pair[0]
