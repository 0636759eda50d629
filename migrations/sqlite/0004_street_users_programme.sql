-- The programme for organising and empowering street drug users, as DOMAIN.md
-- gives it. Data, not code: stages and clocks can be changed (clocks from the
-- admin pages); only the limits of judicial orders are law and live in code.
INSERT INTO programme_stages (programme, code, seq, name, lead_agency, support_agencies) VALUES
  ('street_users', 'collection', 1, 'جمع‌آوری', 'police', 'municipality'),
  ('street_users', 'screening', 2, 'غربالگری', 'welfare', 'health'),
  ('street_users', 'judicial_order', 3, 'دستور قضایی', 'judiciary', ''),
  ('street_users', 'admission', 4, 'پذیرش', 'welfare', 'municipality,prisons'),
  ('street_users', 'treatment', 5, 'درمان و نگهداری', 'welfare', 'health,tvto'),
  ('street_users', 'aftercare', 6, 'ترخیص و مراقبت پس از خروج', 'welfare', 'health'),
  ('street_users', 'employment', 7, 'اشتغال', 'labour', 'relief'),
  ('street_users', 'closed', 8, 'بسته', 'welfare', '');
INSERT INTO programme_transitions (programme, from_stage, to_stage) VALUES
  ('street_users', 'collection', 'screening'),
  ('street_users', 'screening', 'judicial_order'),
  ('street_users', 'screening', 'closed'),
  ('street_users', 'judicial_order', 'admission'),
  ('street_users', 'judicial_order', 'closed'),
  ('street_users', 'admission', 'treatment'),
  ('street_users', 'admission', 'closed'),
  ('street_users', 'treatment', 'aftercare'),
  ('street_users', 'aftercare', 'employment'),
  ('street_users', 'aftercare', 'closed'),
  ('street_users', 'employment', 'closed');
INSERT INTO screening_outcomes (programme, code, seq, name, next_stage) VALUES
  ('street_users', 'admit_art16', 1, 'پذیرش (مادهٔ ۱۶)', 'judicial_order'),
  ('street_users', 'admit_note2', 2, 'پذیرش (تبصرهٔ ۲)', 'judicial_order'),
  ('street_users', 'exclude_wound', 3, 'عدم پذیرش: زخم', 'closed'),
  ('street_users', 'exclude_infectious', 4, 'عدم پذیرش: بیماری عفونی', 'closed'),
  ('street_users', 'exclude_psychiatric', 5, 'عدم پذیرش: اختلال روانپزشکی', 'closed'),
  ('street_users', 'exclude_age', 6, 'عدم پذیرش: سن', 'closed'),
  ('street_users', 'refer_hospital', 7, 'ارجاع به بیمارستان', 'closed'),
  ('street_users', 'not_user', 8, 'مصرف‌کننده نیست', 'closed'),
  ('street_users', 'foreign_national', 9, 'اتباع خارجی', 'closed');
INSERT INTO programme_clocks (programme, code, seq, name, hours, basis) VALUES
  ('street_users', 'collection', 1, 'انتقال به غربالگری پس از جمع‌آوری', 24, 'همان روز'),
  ('street_users', 'screening', 2, 'غربالگری پس از جمع‌آوری', 72, 'حداکثر ۷۲ ساعت'),
  ('street_users', 'judicial_order', 3, 'صدور دستور قضایی پس از غربالگری', 48, 'پیش از پذیرش'),
  ('street_users', 'admission', 4, 'پذیرش پس از دستور قضایی', 24, 'بر اساس دستور'),
  ('street_users', 'referral', 5, 'پاسخ به ارجاع', 72, 'پیش‌فرض'),
  ('street_users', 'aftercare_1', 6, 'تماس مراقبت پس از خروج: ماه اول', 720, '۱ ماه پس از ترخیص'),
  ('street_users', 'aftercare_3', 7, 'تماس مراقبت پس از خروج: ماه سوم', 2160, '۳ ماه پس از ترخیص'),
  ('street_users', 'aftercare_6', 8, 'تماس مراقبت پس از خروج: ماه ششم', 4320, '۶ ماه پس از ترخیص'),
  ('street_users', 'employment', 9, 'اشتغال پس از ترخیص', 4320, 'حداکثر ۶ ماه'),
  ('street_users', 'complaint', 10, 'رسیدگی به شکایت', 240, '۱۰ روز');
