"""Messages the core shows to people, in Simplified Chinese (default) and English."""

from __future__ import annotations

from typing import Any, Self

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
    "country": ("国家", "country"),
    "certificate": ("证明编号", "certificate number"),
    "host_employer": ("境外工作单位", "host employer"),
    "field": ("项目", "item"),
    "value": ("值", "value"),
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
    "user": ("账号", "account"),
    "password": ("密码", "password"),
    "role": ("角色", "role"),
    "approval": ("审批申请", "approval request"),
    "key": ("备份密钥", "backup key"),
    "out": ("输出文件", "output file"),
    "keep": ("保留份数", "copies to keep"),
    "anchor": ("核对点", "anchor"),
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
    "agreement.none": ("中国与{country}没有签订社会保障协定，不能出具参保证明（双重缴费无法免除）", "China has no social security agreement with {country}: no certificate of coverage can be issued"),
    "agreement.not_in_force": ("与{partner}的社会保障协定在该日期尚未生效（生效日期：{since}）", "the agreement with {partner} is not in force on that date (in force from: {since})"),
    "agreement.no_self_employed": ("与{partner}的协定不适用于自雇人员", "the agreement with {partner} does not cover self-employed persons"),
    "agreement.no_employees": ("与{partner}的协定不适用于受雇人员", "the agreement with {partner} does not cover employees"),
    "agreement.no_period": ("与{partner}的协定的派遣期限尚未记录，请先用 shebao agreement set 记录", "the posting period of the agreement with {partner} is not recorded: record it with shebao agreement set"),
    "agreement.too_long": ("超过与{partner}的协定首次派遣期限{months}个月（最晚至{last}）；如需更长，请按延期申请", "longer than the first posting period of {months} months under the agreement with {partner} (last day {last}); apply for an extension for longer"),
    "agreement.no_extension": ("与{partner}的协定没有延期规定", "the agreement with {partner} provides no extension"),
    "agreement.extensions_used": ("与{partner}的协定只允许延期{count}次，已用完", "the agreement with {partner} allows {count} extension(s), already used"),
    "agreement.no_maximum": ("与{partner}的协定的延期须经双方经办机构同意，最长期限未记录，请先用 shebao agreement set 记录", "extensions under the agreement with {partner} need both institutions' consent and no maximum is recorded: record it with shebao agreement set"),
    "agreement.late_extension": ("与{partner}的协定要求至少在期满前{months}个月申请延期（最晚{deadline}）", "the agreement with {partner} requires applying at least {months} months before expiry (by {deadline})"),
    "agreement.total_too_long": ("含延期在内超过与{partner}的协定最长派遣期限{months}个月（最晚至{last}）", "with extensions, longer than the {months} months allowed under the agreement with {partner} (last day {last})"),
    "agreement.field": ("{value}不是可修改的协定项目", "{value} is not an editable agreement value"),
    "agreement.value": ("{value}不是该项目的有效值", "{value} is not a valid value for this item"),
    "exemption.order": ("截止日期早于起始日期", "ends before it starts"),
    "exemption.not_insured": ("此人未参加中国{schemes}或近3个月没有缴费记录，不能出具参保证明", "this person is not insured, or has not contributed in the last 3 months, in the Chinese {schemes}: no certificate can be issued"),
    "exemption.prior_employment": ("派遣前在该单位参保不足{months}个月（与{partner}的协定要求）", "insured with this employer for less than {months} month(s) before the posting (required by the agreement with {partner})"),
    "exemption.overlap": ("与已出具的参保证明{number}（{start}至{end}）期间重叠", "overlaps certificate {number} ({start} to {end}) already issued"),
    "exemption.no_previous": ("没有可延期的参保证明（应有同一国家、截止于{day}前一天的证明）", "no certificate to extend (one for the same country ending the day before {day})"),
    "exemption.unknown": ("没有编号为{value}的参保证明", "no certificate of coverage numbered {value}"),
    "exemption.withdrawn": ("参保证明{number}已撤销", "certificate {number} has been withdrawn"),
    "exemption.end_date": ("提前终止日期应在证明期间内（{start}至{end}）", "the early end must fall within the certificate's period ({start} to {end})"),
    "exemption.citizen": ("中国公民不能以外国参保证明免缴", "a Chinese citizen cannot be exempted on a foreign certificate"),
    "exemption.inbound_overlap": ("与已登记的外方参保证明{certificate}期间重叠", "overlaps the home certificate {certificate} already recorded"),
    "interest.missing": ("{year}年记账利率未设置", "no crediting rate is set for {year}"),
    "auth.required": ("请先登录（本机构已设置账号）", "sign in first (this office has accounts)"),
    "auth.cli": ("本机构已设置账号：请用环境变量 SHEBAO_USER 和 SHEBAO_PASSWORD（或 SHEBAO_PASSWORD_FILE）登录", "this office has accounts: sign in with the environment variables SHEBAO_USER and SHEBAO_PASSWORD (or SHEBAO_PASSWORD_FILE)"),
    "auth.failed": ("账号或密码错误", "wrong account name or password"),
    "auth.locked": ("账号因连续输错密码已锁定，请于{until}后再试，或请管理员解锁", "the account is locked after repeated wrong passwords: try again after {until} or ask an administrator to unlock it"),
    "auth.disabled": ("账号已停用", "the account is disabled"),
    "password.must_change": ("首次登录或密码被重置后须先修改密码（命令行：shebao user passwd）", "change your password first (after a first or reset password; command line: shebao user passwd)"),
    "password.short": ("至少{minimum}个字符", "must have at least {minimum} characters"),
    "password.has_name": ("不能包含账号名", "must not contain the account name"),
    "password.common": ("过于简单或常见", "is too simple or too common"),
    "password.same": ("新密码不能与原密码相同", "the new password must differ from the current one"),
    "password.wrong_old": ("原密码错误", "the current password is wrong"),
    "password.mismatch": ("两次输入的新密码不一致", "the two new passwords differ"),
    "password.missing": ("请用环境变量 SHEBAO_NEW_PASSWORD 提供密码，或在终端中输入", "give the password in SHEBAO_NEW_PASSWORD or type it at a terminal"),
    "role.refused": ("当前账号的角色（{role}）无权执行此操作，需要：{needed}", "your role ({role}) may not do this; it needs: {needed}"),
    "role.unknown": ("{value}不是有效角色（{known}）", "{value} is not a role ({known})"),
    "user.name_format": ("应为2到60个字母、数字、汉字或 . _ -", "must be 2 to 60 letters, digits, Chinese characters or . _ -"),
    "user.exists": ("账号{name}已存在", "the account {name} already exists"),
    "user.unknown": ("没有账号{value}", "no account {value}"),
    "user.first_admin": ("本机构的第一个账号必须是管理员（admin）", "the office's first account must be an administrator (admin)"),
    "user.not_first": ("本机构已有账号，请由管理员用 shebao user add 添加", "the office already has accounts: an administrator adds more with shebao user add"),
    "user.last_admin": ("不能停用或降级最后一个管理员", "the last administrator cannot be disabled or given another role"),
    "user.self": ("不能停用自己的账号或更改自己的角色", "you cannot disable your own account or change your own role"),
    "approval.own": ("不能批准自己提交的申请，须由另一位主管批准", "you cannot approve your own request: another supervisor must"),
    "approval.unknown": ("没有编号为{value}的审批申请", "no approval request {value}"),
    "approval.decided": ("申请#{id}已处理（{status}，{by}）", "request #{id} has been decided ({status}, {by})"),
    "approval.duplicate": ("已有相同的待审批申请#{id}（{by}提交）", "the same request is already waiting: #{id} (filed by {by})"),
    "approval.filed": ("已提交审批申请#{id}，等待主管批准", "request #{id} filed: waiting for a supervisor's approval"),
    "approval.document.void": ("作废文书{number}（原因：{reason}）", "void document {number} (reason: {reason})"),
    "approval.contribution.correct": ("更正{name}（{person}）{month}的缴费工资：{old} → {wage}（原因：{reason}）", "correct the {month} wage of {name} ({person}): {old} -> {wage} (reason: {reason})"),
    "approval.exemption.issue": ("为{name}（{person}）出具{country}参保证明：{start}至{end}", "issue a {country} certificate of coverage for {name} ({person}): {start} to {end}"),
    "contrib.not_recorded": ("{month}在单位{employer}没有缴费记录，无法更正", "nothing is recorded for {month} at employer {employer} to correct"),
    "contrib.same_wage": ("与已记录的缴费工资{wage}相同", "equals the recorded wage {wage}"),
    "audit.ok": ("审计记录完整，共{entries}条", "the audit trail is intact: {entries} entries"),
    "audit.edited": ("第{seq}条审计记录被改动（哈希不符）", "audit entry {seq} was altered (its hash does not match)"),
    "audit.missing": ("第{seq}条审计记录缺失（被删除）", "audit entry {seq} is missing (deleted)"),
    "audit.extra": ("第{seq}条审计记录重复（被插入）", "audit entry {seq} is repeated (inserted)"),
    "audit.link": ("第{seq}条审计记录与前一条不相连（被插入、删除或调换了顺序）", "audit entry {seq} does not link to the one before (inserted, deleted or reordered)"),
    "audit.head": ("审计记录的末尾与链头不符（自第{seq}条起被删除或追加）", "the end of the audit trail does not match its head (entries deleted or appended from {seq})"),
    "audit.anchor": ("第{seq}条审计记录与先前记下的核对点不符（记录被整体改写）", "audit entry {seq} does not match the anchor noted earlier (the trail was rewritten)"),
    "audit.anchor_format": ("应为“序号:哈希”", "must be SEQ:HASH"),
    "backup.cancelled": ("已取消，未写入任何数据", "cancelled; nothing was written"),
    "backup.no_key": ("找不到备份密钥文件{path}", "backup key file {path} not found"),
    "backup.bad_key": ("{path}不是有效的备份密钥文件", "{path} is not a backup key file"),
    "backup.not_backup": ("{path}不是社保经办桌面的备份文件", "{path} is not a Shebao Desk backup"),
    "backup.unreadable": ("无法读取{path}：{reason}", "cannot read {path}: {reason}"),
    "backup.header": ("备份文件头已损坏，拒绝恢复", "the backup's header is damaged: refused"),
    "backup.version": ("备份文件格式版本{found}不受支持（本程序支持{known}），请升级程序", "backup format {found} is not supported (this program reads {known}): upgrade the program"),
    "backup.wrong_key": ("密钥不符：此备份需要指纹为{needed}的密钥，所给密钥的指纹为{given}", "wrong key: this backup needs the key with fingerprint {needed}, the key given has {given}"),
    "backup.damaged": ("备份文件第{chunk}块校验失败：文件已损坏或被改动，拒绝恢复", "block {chunk} of the backup fails its check: the file is damaged or was altered; refused"),
    "backup.truncated": ("备份文件不完整（在第{chunk}块处中断），拒绝恢复", "the backup is incomplete (cut off at block {chunk}); refused"),
    "backup.checksum": ("备份内容的校验（SHA-256、数据库完整性）不符，拒绝恢复", "the backup's content fails its check (SHA-256, database integrity); refused"),
    "backup.source_damaged": ("数据库完整性检查未通过，未写入备份", "the database fails its integrity check; no backup was written"),
    "backup.no_pg_tool": ("找不到{tool}：请安装PostgreSQL客户端，或将 SHEBAO_PG_BIN 设为其所在目录", "{tool} not found: install the PostgreSQL client or set SHEBAO_PG_BIN to its folder"),
    "backup.pg_failed": ("{tool}失败：{reason}", "{tool} failed: {reason}"),
    "backup.dialect": ("备份来自{found}数据库，不能恢复到{here}数据库", "the backup is of a {found} database and cannot be restored into {here}"),
    "backup.memory": ("内存数据库不能备份", "an in-memory database cannot be backed up"),
    "backup.is_dir": ("{path}是文件夹，请给出文件名（或用 --daily）", "{path} is a folder: give a file name (or use --daily)"),
    "backup.keep": ("应至少保留1份", "must keep at least 1"),
    "restore.not_empty": ("目标数据库已有经办机构{office}的数据；确要覆盖请加 --force（原数据库会先另存一份）", "the target database holds office {office}'s data; add --force to replace it (a copy is kept first)"),
}


ROLE_NAMES: dict[str, tuple[str, str]] = {
    "clerk": ("经办员", "clerk"),
    "supervisor": ("审核主管", "supervisor"),
    "admin": ("系统管理员", "administrator"),
}


class Bilingual(str):
    """A message parameter that has its own Chinese and English forms (str() is the Chinese)."""

    en: str

    def __new__(cls, zh: str, en: str) -> Self:
        """A parameter shown as zh in Chinese messages and as en in English ones."""
        obj = super().__new__(cls, zh)
        obj.en = en
        return obj


def role_names(roles: list[str] | tuple[str, ...]) -> Bilingual:
    """Role names for a message, e.g. 经办员、审核主管 / clerk, supervisor."""
    pairs = [ROLE_NAMES.get(r, (r, r)) for r in roles]
    return Bilingual("、".join(p[0] for p in pairs), ", ".join(p[1] for p in pairs))


def render(key: str, lang: str = "zh", **params: Any) -> str:
    """The message for key in lang ('zh' or 'en') with its parameters filled in."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    if lang == "en":
        params = {k: v.en if isinstance(v, Bilingual) else v for k, v in params.items()}
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
